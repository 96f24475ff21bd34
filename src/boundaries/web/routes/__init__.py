"""The app's routes, one module per area: sign-in, school pages, the JSON API."""
