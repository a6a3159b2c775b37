// SPDX-License-Identifier: Apache-2.0
// Network-telemetry benchmark: generates three files in a temp folder from a
// fixed seed — Suricata EVE JSON lines (alert, dns, tls, http, flow), a Zeek
// conn.log in TSV with its header, and firewall key=value syslog lines
// (FortiGate, Zyxel, Sophos in turn) — and reads each with LogSource, once
// parsing only and once also normalising every event with the default field
// mapping (data/sigma/mapping.yml), as the detection engine does first.
// Prints events/s and MB/s. No Suricata, Zeek or firewall is installed here;
// the lines follow the documented formats (docs/ingest.md).
//
// Usage: dv_network_bench [MB_PER_FORMAT (default 50)]

#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "corpus/rng.h"
#include "ingest/log_source.h"
#include "sigma/mapping.h"

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

using dv::bench::Rng;

std::string Ip(Rng& rng, const char* prefix) {
  return std::string(prefix) + std::to_string(rng.Below(250) + 1) + "." + std::to_string(rng.Below(250) + 1);
}

std::string EveLine(Rng& rng, std::uint64_t n) {
  const std::string src = Ip(rng, "10.20.");
  const std::string dst = Ip(rng, "198.18.");
  const std::string time = "2026-03-01T10:" + std::to_string(10 + n / 60000 % 50) + ":" +
                           std::to_string(10 + n / 1000 % 50) + "." + std::to_string(100000 + n % 900000) + "+0000";
  const std::string head = R"({"timestamp":")" + time + R"(","flow_id":)" + std::to_string(1000000 + n) +
                           R"(,"in_iface":"eth1","event_type":")";
  const std::string ends = R"(","src_ip":")" + src + R"(","src_port":)" + std::to_string(1024 + rng.Below(60000)) +
                           R"(,"dest_ip":")" + dst + R"(","dest_port":)";
  switch (n % 5) {
    case 0:
      return head + "alert" + ends + R"(500,"proto":"UDP","alert":{"action":"allowed","gid":1,"signature_id":)" +
             std::to_string(9000000 + rng.Below(1000)) +
             R"(,"rev":1,"signature":"DV BENCH IKE probe","category":"Attempted Recon","severity":2}})";
    case 1:
      return head + "dns" + ends + R"(53,"proto":"UDP","dns":{"type":"query","id":)" +
             std::to_string(rng.Below(65536)) + R"(,"rrname":"host)" + std::to_string(rng.Below(100000)) +
             R"(.example.dk","rrtype":"A","tx_id":0}})";
    case 2:
      return head + "tls" + ends + R"(443,"proto":"TCP","tls":{"subject":"CN=svc.example.dk","sni":"svc)" +
             std::to_string(rng.Below(1000)) +
             R"(.example.dk","version":"TLS 1.3","ja3":{"hash":"0123456789abcdef"}}})";
    case 3:
      return head + "http" + ends + R"(80,"proto":"TCP","http":{"hostname":"www)" + std::to_string(rng.Below(1000)) +
             R"(.example.dk","url":"/index.php?id=)" + std::to_string(rng.Below(100000)) +
             R"(","http_user_agent":"Mozilla/5.0","http_method":"GET","protocol":"HTTP/1.1","status":200,"length":5120}})";
    default:
      return head + "flow" + ends +
             R"(443,"proto":"TCP","app_proto":"tls","flow":{"pkts_toserver":12,"pkts_toclient":10,)" +
             R"("bytes_toserver":1800,"bytes_toclient":9000,"age":3,"state":"closed","reason":"timeout","alerted":false}})";
  }
}

std::string ZeekLine(Rng& rng, std::uint64_t n) {
  return std::to_string(1772360100 + n / 1000) + "." + std::to_string(100000 + n % 900000) + "\tC" +
         std::to_string(rng.Next() % 100000000000ULL) + "\t" + Ip(rng, "10.20.") + "\t" +
         std::to_string(1024 + rng.Below(60000)) + "\t" + Ip(rng, "198.18.") + "\t" +
         (n % 3 == 0 ? "500\tudp\t-\t-\t-\t-\tS0" : "443\ttcp\tssl\t1.250000\t1800\t9000\tSF") +
         "\tT\t0\tShADadFf\t12\t2400\t10\t9400\t(empty)";
}

std::string KvLine(Rng& rng, std::uint64_t n) {
  const std::string src = Ip(rng, "198.18.");
  const std::string dst = Ip(rng, "10.20.");
  const std::string sport = std::to_string(1024 + rng.Below(60000));
  switch (n % 3) {
    case 0:
      return R"(<189>date=2026-03-01 time=10:15:00 devname="FGT60F-Kommune" devid="FGT60FTK2099XXXX" logid="0000000013" )"
             R"(type="traffic" subtype="forward" level="notice" vd="root" srcip=)" +
             src + " srcport=" + sport + R"( srcintf="wan1" srcintfrole="wan" dstip=)" + dst +
             R"( dstport=443 dstintf="internal" dstintfrole="lan" sessionid=)" + std::to_string(n) +
             R"( proto=6 action="accept" policyid=12 service="HTTPS" trandisp="noop" duration=3 sentbyte=1800 rcvdbyte=9000)";
    case 1:
      return R"(<134>Mar  1 10:15:00 usgflex100 src=")" + src + ":" + sport + R"(" dst=")" + dst +
             R"(:500" msg="priority:1, from WAN to ZyWALL, UDP, service IKE, DROP" note="ACCESS BLOCK" user="unknown" )"
             R"(devID="bc99a1b2c3d4" cat="Firewall" class="Access Control" ob="0" ob_mac="000000000000" )"
             R"(dir="WAN1:ZyWALL" protoID=17 proto="ike")";
    default:
      return R"(<30>device_name="SFW" device_model="XGS2100" device_serial_id="X21000000000" log_id=010101600002 )"
             R"(log_type="Firewall" log_component="Firewall Rule" log_subtype="Denied" log_version=1 )"
             R"(severity="Information" fw_rule_id=7 src_ip=)" +
             src + " dst_ip=" + dst + R"( protocol="UDP" src_port=)" + sport + R"( dst_port=500 status="Deny")";
  }
}

std::uint64_t Write(const fs::path& path, std::uint64_t target_bytes, const std::string& header,
                    std::string (*make)(Rng&, std::uint64_t)) {
  std::ofstream out(path, std::ios::binary);
  Rng rng(20261201);
  out << header;
  std::uint64_t bytes = header.size();
  for (std::uint64_t n = 0; bytes < target_bytes; ++n) {
    const std::string line = make(rng, n);
    out << line << '\n';
    bytes += line.size() + 1;
  }
  return bytes;
}

void Measure(const char* label, const fs::path& path, bool normalise) {
  dv::IngestOptions options;
  options.reference_time = dv::Timestamp::FromCivil(2026, 3, 2);
  dv::LogSource source(options);
  const auto& mapping = dv::sigma::FieldMapping::Default();
  dv::Event copy;
  std::vector<std::uint32_t> defs;
  std::uint64_t matched = 0;
  const auto start = Clock::now();
  const auto status = source.Read(std::vector<std::string>{path.string()}, [&](const dv::Event& event) {
    if (!normalise) return;
    copy.CopyFrom(event);
    mapping.Normalize(copy, defs);
    matched += defs.empty() ? 0 : 1;
  });
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  const auto& stats = source.stats();
  const double mb = static_cast<double>(stats.bytes) / 1e6;
  std::printf("%-34s %7.1f MB %9llu events %6llu bad %6.2f s %10.0f events/s %7.1f MB/s%s\n", label, mb,
              static_cast<unsigned long long>(stats.events), static_cast<unsigned long long>(stats.bad_records()),
              seconds, static_cast<double>(stats.events) / seconds, mb / seconds,
              normalise ? (" (" + std::to_string(matched) + " in a log source)").c_str() : "");
  if (!status.ok()) std::printf("  read: %s\n", status.error().message().c_str());
}

}  // namespace

int main(int argc, char** argv) {
  const std::uint64_t mb = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 50;
  const fs::path dir = fs::temp_directory_path() / ("dv-network-bench-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const std::string zeek_header =
      "#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n#path\tconn\n"
      "#open\t2026-03-01-10-00-00\n#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tservice\t"
      "duration\torig_bytes\tresp_bytes\tconn_state\tlocal_orig\tmissed_bytes\thistory\torig_pkts\torig_ip_bytes\t"
      "resp_pkts\tresp_ip_bytes\ttunnel_parents\n#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tstring\t"
      "interval\tcount\tcount\tstring\tbool\tcount\tstring\tcount\tcount\tcount\tcount\tset[string]\n";
  Write(dir / "eve.json", mb * 1'000'000, "", EveLine);
  Write(dir / "conn.log", mb * 1'000'000, zeek_header, ZeekLine);
  Write(dir / "firewall.log", mb * 1'000'000, "", KvLine);
  std::printf("corpus in %s (seed 20261201), %llu MB per format\n", dir.c_str(), static_cast<unsigned long long>(mb));
  for (const bool normalise : {false, true}) {
    Measure(normalise ? "suricata eve + mapping" : "suricata eve (jsonl)", dir / "eve.json", normalise);
    Measure(normalise ? "zeek conn.log tsv + mapping" : "zeek conn.log tsv", dir / "conn.log", normalise);
    Measure(normalise ? "firewall key=value + mapping" : "firewall key=value (3 vendors)", dir / "firewall.log",
            normalise);
  }
  fs::remove_all(dir);
  return 0;
}
