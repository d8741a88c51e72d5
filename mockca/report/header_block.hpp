#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace mockca::report {

// A recorded exchange's headers in the order they came, names in their original case, kept in
// one string (each header as its name's and value's lengths, then both) instead of a vector of
// string pairs: recording an exchange allocates once for its headers, not for each long name or
// value and the vector besides (bench/README.md "Optimisations").
class HeaderBlock {
 public:
  using Header = std::pair<std::string_view, std::string_view>;  // name, value

  class Iterator {
   public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = Header;
    using difference_type = std::ptrdiff_t;
    using pointer = void;
    using reference = Header;

    Iterator() = default;
    Header operator*() const;
    Iterator& operator++();
    Iterator operator++(int);
    bool operator==(const Iterator& other) const { return at_ == other.at_; }

   private:
    friend class HeaderBlock;
    explicit Iterator(const char* at) : at_(at) {}
    const char* at_ = nullptr;
  };

  HeaderBlock() = default;
  HeaderBlock(std::initializer_list<Header> headers);
  // From any range of (name, value) pairs, e.g. http::Request's headers: one allocation.
  template <class Range>
  explicit HeaderBlock(const Range& headers) {
    std::size_t bytes = 0;
    for (const auto& [name, value] : headers) {
      bytes += kLengthBytes + std::string_view(name).size() + std::string_view(value).size();
    }
    text_.reserve(bytes);
    for (const auto& [name, value] : headers) {
      emplace_back(name, value);
    }
  }

  void emplace_back(std::string_view name, std::string_view value);

  Iterator begin() const { return Iterator(text_.data()); }
  Iterator end() const { return Iterator(text_.data() + text_.size()); }
  bool empty() const { return text_.empty(); }
  std::size_t size() const { return static_cast<std::size_t>(std::distance(begin(), end())); }
  // The header at index (< size()), found by walking from the first: for tests.
  Header operator[](std::size_t index) const;
  // The value of the first header named name (ASCII case-insensitive), if there is one.
  std::optional<std::string_view> First(std::string_view name) const;
  // The bytes held (lengths included), for the recorder's estimate of its memory.
  std::size_t ByteSize() const { return text_.size(); }

 private:
  static constexpr std::size_t kLengthBytes = 2 * sizeof(std::uint32_t);

  std::string text_;
};

}  // namespace mockca::report
