"""bench/run's driver: start mockca and Debian's Pebble on free loopback ports, run anvil-loadgen
against them alternately, write JSON lines and regenerate bench/README.md's results section."""
