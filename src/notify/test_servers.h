// SPDX-License-Identifier: Apache-2.0
#pragma once

// What the notify channel tests share: a temporary directory, child
// processes the test starts and stops (by their own pid only), a
// throwaway self-signed certificate made with `openssl req`, and the two
// loopback servers in testdata/ (smtp_server.py on Debian's aiosmtpd,
// http_receiver.py on Python's http.server). Each server picks its own
// port (bind to port 0) and reports it in a file, so there is no window in
// which another process can take it.

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace dv::notify::test {

// Debian's Python, which has Debian's python3-aiosmtpd (not whatever
// python3 comes first on PATH).
inline constexpr const char* kPython = "/usr/bin/python3";

// A fresh directory under the system's temporary directory, removed with
// everything in it on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// Runs `argv` to completion with stdout and stderr to `log` (or
// /dev/null); its exit status, or -1 when it could not run.
int RunToCompletion(const std::vector<std::string>& argv, const std::filesystem::path& log = {});

// A child process, stopped (SIGTERM, then SIGKILL after 5 s) and reaped on
// destruction.
class ChildProcess {
 public:
  ChildProcess(const std::vector<std::string>& argv, const std::filesystem::path& log);
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;
  bool started() const { return pid_ > 0; }
  // False once the process has exited.
  bool Running();

 private:
  pid_t pid_ = -1;
  bool reaped_ = false;
};

// True when Debian's Python can import `module`.
bool PythonHasModule(const std::string& module);

// cert.pem and key.pem in `dir`: a self-signed certificate for "localhost",
// 127.0.0.1 and ::1, valid for a day. False when openssl failed.
bool MakeSelfSignedCertificate(const std::filesystem::path& dir);

// A loopback server from testdata/: started with `args` and `--dir dir`,
// ready once it has written dir/port.
class LoopbackServer {
 public:
  LoopbackServer(const std::string& script, std::filesystem::path dir, std::vector<std::string> args);
  // The port, or 0 when the server did not come up within 15 s (its log is
  // then in dir/server.log).
  int port() const { return port_; }
  const std::filesystem::path& dir() const { return dir_; }
  // The JSON records `prefix`-N.json the server wrote, in order.
  std::vector<nlohmann::json> Records(const std::string& prefix) const;
  // Waits up to `timeout` for at least `count` records.
  std::vector<nlohmann::json> WaitForRecords(const std::string& prefix, std::size_t count,
                                             std::chrono::milliseconds timeout = std::chrono::seconds(10)) const;
  // The server log, for failure messages.
  std::string Log() const;

 private:
  std::filesystem::path dir_;
  std::optional<ChildProcess> process_;
  int port_ = 0;
};

// A TCP socket bound to 127.0.0.1 (or ::1) on a port the kernel chose,
// listening or not. While it exists nobody else can take the port: a bound
// socket that does not listen refuses connections; a listening one lets
// the test see whether anybody connected.
class HeldPort {
 public:
  HeldPort(bool v6, bool listen);
  ~HeldPort();
  HeldPort(const HeldPort&) = delete;
  HeldPort& operator=(const HeldPort&) = delete;
  int port() const { return port_; }
  // True when a connection is waiting to be accepted (listening sockets).
  bool HasPendingConnection() const;

 private:
  int fd_ = -1;
  int port_ = 0;
};

// The value of header `name` (any case) in a record's [[name, value], …].
std::string HeaderOf(const nlohmann::json& record, const std::string& name);

}  // namespace dv::notify::test
