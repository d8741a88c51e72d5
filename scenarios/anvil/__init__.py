"""Anvil's scenarios: drive real ACME clients against mockca and mockdns, and judge them.

`anvil.clients` has one adapter per Debian client (lego, certbot, python3-acme, dehydrated, uacme,
acme-tiny) that turns a `Target` (directory URL, trust, challenge ports, names) into the background
services and commands that get a certificate, and `run_issue` / `run_action` to run them. The
scenario runner (`scenarios/run`) is built from `anvil.scenario` (the YAML format), `anvil.stack`
(mockca on free ports), `anvil.runner`, `anvil.judge` and `anvil.report`; `anvil.pytest_plugin`
gives a client project's tests a throwaway mockca. Put this directory (`scenarios/`) on sys.path
and `import anvil.clients`; scenarios/README.md documents the rest.
"""
