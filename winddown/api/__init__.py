"""The JSON API (django-ninja). Each domain app has its own router in `<app>/api.py`;
`routers.py` mounts them and maps domain errors to HTTP once."""
