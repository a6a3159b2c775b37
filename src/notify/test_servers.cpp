// SPDX-License-Identifier: Apache-2.0
#include "notify/test_servers.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>
#include <utility>

namespace dv::notify::test {
namespace fs = std::filesystem;

namespace {

// fork + execv with stdout and stderr to `log`; the child's pid or -1.
pid_t Spawn(const std::vector<std::string>& argv, const fs::path& log) {
  std::vector<char*> args;
  args.reserve(argv.size() + 1);
  for (const std::string& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  const std::string log_path = log.empty() ? "/dev/null" : log.string();
  const pid_t pid = ::fork();
  if (pid == 0) {
    const int out = ::open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
    if (out >= 0) {
      ::dup2(out, STDOUT_FILENO);
      ::dup2(out, STDERR_FILENO);
      ::close(out);
    }
    ::execv(args[0], args.data());
    ::_exit(127);
  }
  return pid;
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

TempDir::TempDir() {
  std::string pattern = (fs::temp_directory_path() / "dv-notify-XXXXXX").string();
  if (::mkdtemp(pattern.data()) != nullptr) path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ignored;
  if (!path_.empty()) fs::remove_all(path_, ignored);
}

int RunToCompletion(const std::vector<std::string>& argv, const fs::path& log) {
  const pid_t pid = Spawn(argv, log);
  if (pid < 0) return -1;
  int status = 0;
  if (::waitpid(pid, &status, 0) != pid || !WIFEXITED(status)) return -1;
  return WEXITSTATUS(status);
}

ChildProcess::ChildProcess(const std::vector<std::string>& argv, const fs::path& log) : pid_(Spawn(argv, log)) {}

ChildProcess::~ChildProcess() {
  if (pid_ <= 0 || reaped_) return;
  ::kill(pid_, SIGTERM);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  int status = 0;
  while (::waitpid(pid_, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > deadline) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, &status, 0);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

bool ChildProcess::Running() {
  if (pid_ <= 0 || reaped_) return false;
  int status = 0;
  if (::waitpid(pid_, &status, WNOHANG) == pid_) reaped_ = true;
  return !reaped_;
}

bool PythonHasModule(const std::string& module) {
  return ::access(kPython, X_OK) == 0 && RunToCompletion({kPython, "-c", "import " + module}) == 0;
}

bool MakeSelfSignedCertificate(const fs::path& dir) {
  return RunToCompletion(
             {"/usr/bin/openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
              "-keyout", (dir / "key.pem").string(), "-out", (dir / "cert.pem").string(), "-days", "1", "-subj",
              "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1"},
             dir / "openssl.log") == 0;
}

LoopbackServer::LoopbackServer(const std::string& script, fs::path dir, std::vector<std::string> args)
    : dir_(std::move(dir)) {
  fs::create_directories(dir_);
  std::vector<std::string> argv = {kPython, std::string(DV_NOTIFY_TESTDATA) + "/" + script, "--dir", dir_.string()};
  argv.insert(argv.end(), args.begin(), args.end());
  process_.emplace(argv, dir_ / "server.log");
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
  while (std::chrono::steady_clock::now() < deadline && process_->Running()) {
    if (fs::exists(dir_ / "port")) {
      port_ = std::atoi(ReadFile(dir_ / "port").c_str());
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

std::vector<nlohmann::json> LoopbackServer::Records(const std::string& prefix) const {
  std::vector<nlohmann::json> records;
  for (int number = 1;; ++number) {
    const fs::path path = dir_ / (prefix + "-" + std::to_string(number) + ".json");
    if (!fs::exists(path)) break;
    records.push_back(nlohmann::json::parse(ReadFile(path)));
  }
  return records;
}

std::vector<nlohmann::json> LoopbackServer::WaitForRecords(const std::string& prefix, std::size_t count,
                                                           std::chrono::milliseconds timeout) const {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    auto records = Records(prefix);
    if (records.size() >= count || std::chrono::steady_clock::now() > deadline) return records;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

std::string LoopbackServer::Log() const { return ReadFile(dir_ / "server.log"); }

HeldPort::HeldPort(bool v6, bool listen) {
  fd_ = ::socket(v6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0) return;
  sockaddr_storage storage{};
  socklen_t size = 0;
  if (v6) {
    auto* address = reinterpret_cast<sockaddr_in6*>(&storage);
    address->sin6_family = AF_INET6;
    address->sin6_addr = in6addr_loopback;
    size = sizeof(sockaddr_in6);
  } else {
    auto* address = reinterpret_cast<sockaddr_in*>(&storage);
    address->sin_family = AF_INET;
    address->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    size = sizeof(sockaddr_in);
  }
  if (::bind(fd_, reinterpret_cast<sockaddr*>(&storage), size) != 0 || (listen && ::listen(fd_, 8) != 0) ||
      ::getsockname(fd_, reinterpret_cast<sockaddr*>(&storage), &size) != 0) {
    return;
  }
  port_ = ntohs(v6 ? reinterpret_cast<sockaddr_in6*>(&storage)->sin6_port
                   : reinterpret_cast<sockaddr_in*>(&storage)->sin_port);
}

HeldPort::~HeldPort() {
  if (fd_ >= 0) ::close(fd_);
}

bool HeldPort::HasPendingConnection() const {
  pollfd entry{fd_, POLLIN, 0};
  return ::poll(&entry, 1, 0) > 0 && (entry.revents & POLLIN) != 0;
}

std::string HeaderOf(const nlohmann::json& record, const std::string& name) {
  for (const auto& header : record.at("headers")) {
    const std::string key = header.at(0).get<std::string>();
    if (key.size() != name.size()) continue;
    bool same = true;
    for (std::size_t idx = 0; idx < key.size() && same; ++idx) {
      same = std::tolower(static_cast<unsigned char>(key[idx])) == std::tolower(static_cast<unsigned char>(name[idx]));
    }
    if (same) return header.at(1).get<std::string>();
  }
  return {};
}

}  // namespace dv::notify::test
