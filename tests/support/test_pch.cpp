// Compiles the test executables' precompiled header (tests/CMakeLists.txt: anvil_test_pch); the
// header is the whole content.
