// Replay driver for builds without libFuzzer (fmt's main.cc, c-ares's ares-fuzz.c): runs
// LLVMFuzzerTestOneInput once per file named on the command line, or per regular file inside a
// named directory (sorted, not recursive). Without arguments it reads one input from stdin.
// Each input gets its own heap buffer of exactly its size, so ASan/valgrind see any overread.
//
//   fuzz_dns_message fuzz/corpus/dns_message          # every seed
//   fuzz_dns_message crash-0123abcd                   # one reproducer

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <string>
#include <system_error>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);
// Optional in each target; null when the target does not define it.
extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv) __attribute__((weak));

namespace {

namespace fs = std::filesystem;

void RunOne(const std::vector<char>& bytes) {
  // A fresh allocation of the exact size (new[] of 0 is still a unique, unreadable pointer).
  std::unique_ptr<std::uint8_t[]> copy(new std::uint8_t[bytes.size()]);
  std::copy(bytes.begin(), bytes.end(), copy.get());
  LLVMFuzzerTestOneInput(copy.get(), bytes.size());
}

bool RunFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::cerr << "cannot open " << path << "\n";
    return false;
  }
  const std::vector<char> bytes((std::istreambuf_iterator<char>(in)),
                                std::istreambuf_iterator<char>());
  if (in.bad()) {
    std::cerr << "cannot read " << path << "\n";
    return false;
  }
  RunOne(bytes);
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (LLVMFuzzerInitialize != nullptr) {
    LLVMFuzzerInitialize(&argc, &argv);
  }
  if (argc < 2) {
    const std::vector<char> bytes((std::istreambuf_iterator<char>(std::cin)),
                                  std::istreambuf_iterator<char>());
    RunOne(bytes);
    std::cout << "replayed 1 input from stdin\n";
    return 0;
  }
  std::size_t count = 0;
  for (int i = 1; i < argc; ++i) {
    const fs::path arg(argv[i]);
    std::error_code ec;
    if (fs::is_directory(arg, ec)) {
      std::vector<fs::path> files;
      for (const auto& entry : fs::directory_iterator(arg, ec)) {
        if (entry.is_regular_file()) {
          files.push_back(entry.path());
        }
      }
      if (ec) {
        std::cerr << "cannot list " << arg << ": " << ec.message() << "\n";
        return 1;
      }
      std::sort(files.begin(), files.end());
      for (const auto& file : files) {
        if (!RunFile(file)) {
          return 1;
        }
        ++count;
      }
    } else {
      if (!RunFile(arg)) {
        return 1;
      }
      ++count;
    }
  }
  if (count == 0) {
    std::cerr << "no input files found\n";
    return 1;
  }
  std::cout << "replayed " << count << " inputs\n";
  return 0;
}
