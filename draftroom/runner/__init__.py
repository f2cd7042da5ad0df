"""Draft runners (one loop per live draft, in the lease holder) and the per-process supervisor."""
