"""The notification outbox: webhooks and e-mails queued in the transaction that
causes them, sent later by `sync.notify`."""
