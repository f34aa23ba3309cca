"""gunicorn reads this file from the working directory: `make run`, the container and the tests all start there."""

# gunicorn answers a request line over 4 KiB itself, with an HTML page. Let lines up to its hard cap of 1 MiB
# through, so that an over-long query value gets the service's own problem response (422) like any bad value.
limit_request_line = 0
