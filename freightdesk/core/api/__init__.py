"""What every JSON endpoint shares, whichever app mounts it: the error bodies and Idempotency-Key.

The bearer-token check lives in `accounts.bearer` (it needs the accounts' tokens and capabilities).
"""
