"""The rewrite engine: a news dispatch in, a faithful French SEO article out.

Nothing in this package knows about Slack, Redis or job queues.
"""
