#pragma once

#include <cassert>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>

namespace common {

// Wraps an error value so that Result<T, E> can be built from it even when T and E are the same
// type.
template <typename E>
struct Err {
  E value;
};

template <typename E>
Err<std::decay_t<E>> MakeErr(E&& e) {
  return {std::forward<E>(e)};
}
inline Err<std::string> MakeErr(const char* e) {
  return {e};
}

// A value or an error; the error-as-value type of the project (anchors §3). Check ok() (or the bool
// conversion) before value(); error() is valid only when !ok().
template <typename T, typename E>
class [[nodiscard]] Result {
 public:
  Result(T value)
      : data_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit by design
  Result(E error)  // NOLINT: implicit by design; when T and E are one type, use Err/MakeErr
      requires(!std::is_same_v<T, E>)
      : data_(std::in_place_index<1>, std::move(error)) {}
  Result(Err<E> error) : data_(std::in_place_index<1>, std::move(error.value)) {}  // NOLINT

  bool ok() const { return data_.index() == 0; }
  explicit operator bool() const { return ok(); }

  const T& value() const& {
    assert(ok());
    return std::get<0>(data_);
  }
  T& value() & {
    assert(ok());
    return std::get<0>(data_);
  }
  T&& value() && {
    assert(ok());
    return std::get<0>(std::move(data_));
  }
  const E& error() const {
    assert(!ok());
    return std::get<1>(data_);
  }

  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, E> data_;
};

// The result of an operation with no value.
template <typename E>
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(E error) : error_(std::move(error)), failed_(true) {}  // NOLINT: implicit by design

  bool ok() const { return !failed_; }
  explicit operator bool() const { return ok(); }
  const E& error() const {
    assert(failed_);
    return error_;
  }

 private:
  E error_{};
  bool failed_ = false;
};

}  // namespace common
