"""The HTTP and WebSocket API under ``/api/v1``."""
