// SPDX-License-Identifier: Apache-2.0
#pragma once

// Result<T>: the value of an operation that can fail in an expected way
// (bad input, missing object, I/O). Programmer errors use assertions instead;
// user input never reaches an assertion.
//
// An Error carries a kind, for callers that branch on it (the hub maps kinds
// to HTTP status codes), and a message that names the place: file and line,
// field, object id or URL. Messages are complete sentences without a trailing
// full stop so that callers can prefix context: "loading rules: <message>".

#include <cassert>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace dv {

enum class ErrorKind {
  kInvalidArgument,  // the caller's input is malformed or out of range
  kParse,            // a document could not be parsed
  kNotFound,         // the named object does not exist
  kConflict,         // the write clashes with what is stored
  kUnauthorized,     // no or wrong credentials
  kForbidden,        // credentials are fine, the action is not allowed
  kUnsupported,      // a valid request for something not implemented
  kIo,               // the operating system or a database failed
  kUnavailable,      // a service this needs (the database) cannot be reached now; retry later
  kInternal,         // a broken invariant; a bug
};

// The stable lower_snake name of a kind, as used in JSON error bodies.
std::string_view ErrorKindName(ErrorKind kind);

class Error {
 public:
  Error(ErrorKind kind, std::string message) : kind_(kind), message_(std::move(message)) {}

  static Error InvalidArgument(std::string m) { return {ErrorKind::kInvalidArgument, std::move(m)}; }
  static Error Parse(std::string m) { return {ErrorKind::kParse, std::move(m)}; }
  static Error NotFound(std::string m) { return {ErrorKind::kNotFound, std::move(m)}; }
  static Error Conflict(std::string m) { return {ErrorKind::kConflict, std::move(m)}; }
  static Error Unauthorized(std::string m) { return {ErrorKind::kUnauthorized, std::move(m)}; }
  static Error Forbidden(std::string m) { return {ErrorKind::kForbidden, std::move(m)}; }
  static Error Unsupported(std::string m) { return {ErrorKind::kUnsupported, std::move(m)}; }
  static Error Io(std::string m) { return {ErrorKind::kIo, std::move(m)}; }
  static Error Unavailable(std::string m) { return {ErrorKind::kUnavailable, std::move(m)}; }
  static Error Internal(std::string m) { return {ErrorKind::kInternal, std::move(m)}; }

  ErrorKind kind() const { return kind_; }
  const std::string& message() const { return message_; }

  // Returns a copy whose message is "<context>: <message>".
  Error WithContext(std::string_view context) const;

  // "<kind name>: <message>", for logs and terminals.
  std::string ToString() const;

 private:
  ErrorKind kind_;
  std::string message_;
};

// Result<T> holds either a T or an Error. Accessing the wrong alternative is a
// programmer error (asserted). Result<void> holds nothing or an Error.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : data_(std::in_place_index<0>, std::move(value)) {}      // NOLINT: implicit by design
  Result(Error error) : data_(std::in_place_index<1>, std::move(error)) {}  // NOLINT

  bool ok() const { return data_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & {
    assert(ok());
    return std::get<0>(data_);
  }
  const T& value() const& {
    assert(ok());
    return std::get<0>(data_);
  }
  T&& value() && {
    assert(ok());
    return std::get<0>(std::move(data_));
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const Error& error() const {
    assert(!ok());
    return std::get<1>(data_);
  }

 private:
  std::variant<T, Error> data_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), failed_(true) {}  // NOLINT

  bool ok() const { return !failed_; }
  explicit operator bool() const { return ok(); }
  const Error& error() const {
    assert(failed_);
    return error_;
  }

 private:
  Error error_{ErrorKind::kInternal, ""};
  bool failed_ = false;
};

using Status = Result<void>;

inline Status Ok() { return {}; }

}  // namespace dv

// DV_TRY(expr): evaluates a Result<void> and returns its error from the
// enclosing function if it failed.
#define DV_TRY(expr)                 \
  do {                               \
    auto dv_try_status_ = (expr);    \
    if (!dv_try_status_.ok()) {      \
      return dv_try_status_.error(); \
    }                                \
  } while (false)
