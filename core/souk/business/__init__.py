"""Businesses: accounts with a public profile and handle, an owner and staff with roles.

Beside people and chat: a business is a core identity that mini-apps attach their
own things to (through the SDK), never a mini-app's private table.
"""
