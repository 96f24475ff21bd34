"""The registers a headteacher must be able to show: editions, acknowledgements, declarations."""
