#!/usr/bin/python3
"""Writes the seed corpus of the pebble_config fuzz target: pebble_config/.

Standard library only. Run from anywhere: /usr/bin/python3 fuzz/corpus/make_pebble_config_seeds.py
An input is a config text, optionally followed by "\\n%%\\n" and NAME=value environment lines
(fuzz/pebble_config_fuzzer.cpp). Files are named after what they hold and rewritten in place;
reproducers added by hand (crash-*, regression-*) are left alone.
"""

import json
import os

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
HERE = os.path.join(ROOT, "fuzz", "corpus", "pebble_config")


def config(**pebble):
    return json.dumps({"pebble": pebble}, indent=2)


def with_env(text, *lines):
    return text + "\n%%\n" + "\n".join(lines)


def shipped(name):
    with open(os.path.join(ROOT, "mockca", "config", name)) as f:
        return f.read()


SEEDS = {
    "pebble-config": shipped("pebble-config.json"),
    "pebble-config-eab": shipped("pebble-config-external-account-bindings.json"),
    "minimal": config(listenAddress="127.0.0.1:0"),
    "case-insensitive-keys": json.dumps({"Pebble": {"LISTENADDRESS": "127.0.0.1:0",
                                                    "httpport": 80, "TlsPort": 443}}),
    "unknown-keys": json.dumps({"pebble": {"listenAddress": "127.0.0.1:0", "foo": 1},
                                "extra": True}),
    "nulls": config(listenAddress=None, httpPort=None, profiles=None, retryAfter=None),
    "rsa-caa": config(listenAddress="127.0.0.1:0", keyAlgorithm="rsa",
                      caaIdentities=["ca.test", "other.test"]),
    "bad-key-algorithm": config(keyAlgorithm="dsa"),
    "bad-port": config(httpPort=65536),
    "negative-port": config(tlsPort=-1),
    "bad-mac-key": config(externalAccountMACKeys={"kid": "padded=="}),
    "profiles-edge": config(listenAddress="127.0.0.1:0", profiles={
        "zero": {"validityPeriod": 0},
        "huge": {"validityPeriod": 9223372038, "promoteCommonName": True},
        "max": {"validityPeriod": 9223372037, "description": "max", "x": 1}}),
    "retry-after-bounds": config(listenAddress="127.0.0.1:0",
                                 retryAfter={"authz": 86400, "order": 0, "other": 1}),
    "ipv6-listen": config(listenAddress="[::1]:14000", managementListenAddress="[::1]:0"),
    "listen-list": config(listenAddress="127.0.0.1:0,[::1]:0"),
    "no-pebble": json.dumps({"other": {}}),
    "not-an-object": "[1, 2, 3]",
    "bad-json": '{"pebble": {',
    "env-only": with_env(config(listenAddress="127.0.0.1:0"),
                         "PEBBLE_VA_NOSLEEP=1", "PEBBLE_WFE_NONCEREJECT=100",
                         "PEBBLE_AUTHZREUSE=50", "PEBBLE_WFE_ORDERS_PER_PAGE=0",
                         "PEBBLE_ALTERNATE_ROOTS=2", "PEBBLE_CHAIN_LENGTH=0"),
    "env-mockca-wins": with_env(config(listenAddress="127.0.0.1:0"),
                                "PEBBLE_VA_SLEEPTIME=3", "MOCKCA_VA_SLEEPTIME=+7",
                                "MOCKCA_VA_ALWAYS_VALID=TRUE", "MOCKCA_SEED=42"),
    "env-bad-values": with_env(config(listenAddress="127.0.0.1:0"),
                               "PEBBLE_VA_SLEEPTIME=-1", "PEBBLE_WFE_NONCEREJECT=abc",
                               "PEBBLE_AUTHZREUSE=101", "PEBBLE_CHAIN_LENGTH=1001",
                               "PEBBLE_ALTERNATE_ROOTS=99999999999999999999", "MOCKCA_SEED=x"),
    "env-faults": with_env(config(listenAddress="127.0.0.1:0"),
                           'MOCKCA_FAULTS=[{"fault":"badNonce","where":"newOrder",'
                           '"probability":0.5}]'),
}


def main():
    os.makedirs(HERE, exist_ok=True)
    for name, data in SEEDS.items():
        with open(os.path.join(HERE, name), "w") as out:
            out.write(data)


if __name__ == "__main__":
    main()
