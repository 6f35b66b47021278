"""The read side: every question the service answers from the store, as plain data.

The JSON API, the web pages, the CLI and the exports all read through here.
"""
