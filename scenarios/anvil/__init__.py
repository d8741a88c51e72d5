"""Anvil's scenario library: drive real ACME clients against mockca and mockdns.

`anvil.clients` has one adapter per Debian client (lego, certbot, python3-acme, dehydrated, uacme,
acme-tiny) that turns a `Target` (directory URL, trust, challenge ports, names) into the background
services and commands that get a certificate, and `run_issue` to run them. Put this directory
(`scenarios/`) on sys.path and `import anvil.clients`.
"""
