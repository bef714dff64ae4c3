"""The core's migrations, one module per concern; :mod:`souk.storage.schema` puts them in order."""
