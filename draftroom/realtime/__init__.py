"""Socket.IO: the server, per-league namespaces, the default namespace for notifications."""
