// Whole-file reads and writes with errors that name the path.
#include <fmt/format.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>

#include "shuttle/io.h"

namespace shuttle {
namespace {

struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};
using File = std::unique_ptr<std::FILE, FileCloser>;

Status ErrnoStatus(const std::string& what, const std::string& path, int err) {
  std::string message = fmt::format("{} '{}': {}", what, path, std::strerror(err));
  if (err == ENOENT) return Status::NotFound(message);
  if (err == EACCES || err == EPERM) return Status::PermissionDenied(message);
  return Status::IOError(message);
}

}  // namespace

Result<std::string> ReadFile(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    return Status::InvalidArgument(fmt::format("reading '{}': is a directory", path));
  }
  File f(std::fopen(path.c_str(), "rb"));
  if (!f) return ErrnoStatus("opening", path, errno);
  std::string contents;
  char buffer[1 << 16];
  size_t n;
  while ((n = std::fread(buffer, 1, sizeof buffer, f.get())) > 0) contents.append(buffer, n);
  if (std::ferror(f.get())) return ErrnoStatus("reading", path, errno);
  return contents;
}

Status WriteFile(const std::string& path, std::string_view contents) {
  File f(std::fopen(path.c_str(), "wb"));
  if (!f) return ErrnoStatus("creating", path, errno);
  if (std::fwrite(contents.data(), 1, contents.size(), f.get()) != contents.size()) {
    return ErrnoStatus("writing", path, errno);
  }
  std::FILE* raw = f.release();
  if (std::fclose(raw) != 0) return ErrnoStatus("writing", path, errno);
  return Status::Ok();
}

Status ReplaceFile(const std::string& path, std::string_view contents) {
  const std::string tmp = path + ".tmp";
  SHUTTLE_RETURN_IF_ERROR(WriteFile(tmp, contents));
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) return Status::IOError(fmt::format("replacing '{}': {}", path, ec.message()));
  return Status::Ok();
}

Status CreateFolder(const std::string& path) {
  std::error_code ec;
  std::filesystem::create_directories(path, ec);
  if (ec) return Status::IOError(fmt::format("{}: cannot create folder: {}", path, ec.message()));
  return Status::Ok();
}

bool PathExists(const std::string& path) {
  std::error_code ec;
  return std::filesystem::exists(path, ec);
}

bool IsFolder(const std::string& path) {
  std::error_code ec;
  return std::filesystem::is_directory(path, ec);
}

Result<std::unique_ptr<AppendFile>> AppendFile::Open(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "a");
  if (f == nullptr) return ErrnoStatus("opening", path, errno);
  return std::unique_ptr<AppendFile>(new AppendFile(path, f));
}

AppendFile::~AppendFile() { std::fclose(file_); }

Status AppendFile::Append(std::string_view text) {
  if (std::fwrite(text.data(), 1, text.size(), file_) != text.size())
    return ErrnoStatus("writing", path_, errno);
  return Status::Ok();
}

Status AppendFile::Flush() {
  if (std::fflush(file_) != 0) return ErrnoStatus("writing", path_, errno);
  return Status::Ok();
}

}  // namespace shuttle
