# Sourced by ci/test and ci/tsan: how the sanitizers report. A report goes to stderr (the ctest log,
# the servers' logs that the e2e fixtures check) and makes the process exit non-zero.
# No suppressions: nothing is reported in third-party code (OpenSSL, Boost.Asio, c-ares) on Debian
# bookworm; add a file with one commented entry per third-party frame if that changes.
export ASAN_OPTIONS="detect_leaks=1:halt_on_error=1:detect_stack_use_after_return=1:check_initialization_order=1:strict_init_order=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export TSAN_OPTIONS="halt_on_error=0:exitcode=66:second_deadlock_stack=1"
