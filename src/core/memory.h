// SPDX-License-Identifier: Apache-2.0
#pragma once

// Large buffers that are about to be filled at once: one request to the
// kernel to map their pages, rather than a page fault for each 4 KiB page as
// it is first written. On a virtual machine a page fault costs several
// microseconds, and a million indicators are hundreds of megabytes.
//
// Advisory only: where the kernel does not support it (Linux before 5.14,
// other systems) nothing happens and the pages are mapped as they are
// written. Never an error. Thread-safe.

#include <cstddef>
#include <vector>

namespace dv {

// Maps the whole pages inside [data, data + bytes) writable now (Linux
// MADV_POPULATE_WRITE), as 2 MiB pages where the kernel has them
// (MADV_HUGEPAGE; transparent huge pages in "madvise" or "always" mode): a
// large table looked up at random then misses the TLB far less often, and
// mapping it takes 512 times fewer faults. Buffers below 1 MiB are left
// alone.
void PrefaultForWriting(void* data, std::size_t bytes);

// vector.reserve(count), then PrefaultForWriting on the spare capacity.
template <typename T>
void ReservePrefaulted(std::vector<T>& vector, std::size_t count) {
  vector.reserve(count);
  PrefaultForWriting(vector.data() + vector.size(), (vector.capacity() - vector.size()) * sizeof(T));
}

}  // namespace dv
