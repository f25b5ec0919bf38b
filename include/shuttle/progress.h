// Progress reporting. The library never prints; long work reports to a Progress that the binary
// implements (a terminal bar, a log line, nothing). Implementations must tolerate calls from the
// thread doing the work; the library calls Update at most a few hundred times per task.
#ifndef SHUTTLE_PROGRESS_H_
#define SHUTTLE_PROGRESS_H_

#include <string_view>

namespace shuttle {

class Progress {
 public:
  virtual ~Progress() = default;
  // `task` names the work ("enumerating outcomes"); fraction is in [0, 1].
  virtual void Update(std::string_view task, double fraction) = 0;
};

// A Progress that ignores every update.
class NullProgress final : public Progress {
 public:
  void Update(std::string_view, double) override {}
};

}  // namespace shuttle

#endif  // SHUTTLE_PROGRESS_H_
