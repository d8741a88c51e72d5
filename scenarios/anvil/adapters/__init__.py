"""One module per ACME client: each defines an anvil.adapter.Adapter subclass."""
