"""taskiq: the broker, the jobs, the schedules."""
