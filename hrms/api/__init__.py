"""The JSON API's own parts: bearer tokens, the OpenAPI document and its documentation page."""
