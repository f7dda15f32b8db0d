"""geomap: offline geospatial event mapper for conflict reporting on Syria."""
