"""Conversations, channel-agnostic: handlers take an Incoming and return Replies."""
