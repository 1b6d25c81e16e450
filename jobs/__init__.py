"""Jobs: the queue (saq on Redis, or in-process), the worker task, versions and thread state."""
