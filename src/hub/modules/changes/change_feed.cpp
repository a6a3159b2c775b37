// SPDX-License-Identifier: Apache-2.0
#include "hub/modules/changes/change_feed.h"

#include <algorithm>
#include <map>
#include <set>

namespace dv::hub {

namespace {

bool TypeWanted(const ChangeWait& request, const std::string& type) {
  return request.types.empty() || std::find(request.types.begin(), request.types.end(), type) != request.types.end();
}

const ChangeCursor* CursorFor(const ChangeWait& request, const std::string& collection_id) {
  for (const auto& cursor : request.cursors) {
    if (cursor.collection_id == collection_id) return &cursor;
  }
  return nullptr;
}

}  // namespace

ChangeFeed::ChangeFeed(Store& store, Options options) : store_(store), options_(options) {
  watch_id_ = store_.Watch([this](const Store::Change& change) { OnChange(change); });
  thread_ = std::thread([this] { Run(); });
}

ChangeFeed::~ChangeFeed() {
  store_.Unwatch(watch_id_);
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

Status ChangeFeed::Wait(ChangeWait request, Done done) {
  if (request.cursors.empty() || request.cursors.size() > kMaxCursors) {
    return Error::InvalidArgument("name between 1 and " + std::to_string(kMaxCursors) + " collections");
  }
  if (request.types.size() > kMaxTypes) {
    return Error::InvalidArgument("name at most " + std::to_string(kMaxTypes) + " types");
  }
  std::set<std::string> seen;
  for (const auto& cursor : request.cursors) {
    if (!seen.insert(cursor.collection_id).second) {
      return Error::InvalidArgument("collection '" + cursor.collection_id + "' is named twice");
    }
    auto collection = store_.GetCollection(cursor.collection_id);
    if (!collection.ok()) return collection.error();
    if (!CanReadCollection(request.principal, *collection)) {
      (void)store_.Audit(request.principal.member.id, "read.refused", "collection " + cursor.collection_id,
                         "change feed: not in the collection's audience");
      return Error::Forbidden("member '" + request.principal.member.id + "' may not read collection '" +
                              cursor.collection_id + "'");
    }
  }
  request.wait = std::clamp(request.wait, std::chrono::milliseconds(0), options_.max_wait);
  {
    std::lock_guard lock(mutex_);
    if (waiters_.size() >= options_.max_waiting) {
      return Error::Conflict("the hub holds as many waiting requests as it takes; ask again shortly");
    }
    const auto own = std::count_if(waiters_.begin(), waiters_.end(), [&](const Waiter& waiter) {
      return waiter.request.principal.member.id == request.principal.member.id;
    });
    if (static_cast<std::size_t>(own) >= options_.max_waiting_per_member) {
      return Error::Conflict("member '" + request.principal.member.id + "' already has " + std::to_string(own) +
                             " waiting requests, the most it may have");
    }
  }
  // A notice that arrives between this look and parking marks the new
  // waiter dirty: no object committed meanwhile is missed.
  std::uint64_t generation = 0;
  {
    std::lock_guard lock(mutex_);
    generation = generation_;
  }
  auto news = Look(request);
  if (!news.ok() || !news->empty() || request.wait.count() == 0) {
    if (!news.ok()) {
      done(news.error());
    } else {
      done(ChangeNews{!news->empty(), std::move(news).value()});
    }
    return Ok();
  }
  {
    std::lock_guard lock(mutex_);
    const auto deadline = std::chrono::steady_clock::now() + request.wait;
    const bool dirty = generation_ != generation;
    waiters_.push_back(Waiter{std::move(request), std::move(done), deadline, dirty});
    any_dirty_ = any_dirty_ || dirty;
    parked_ = true;  // the thread looks at the deadlines again
  }
  cv_.notify_all();
  return Ok();
}

Result<std::vector<std::string>> ChangeFeed::Look(const ChangeWait& request) {
  std::vector<std::string> news;
  for (const auto& cursor : request.cursors) {
    auto collection = store_.GetCollection(cursor.collection_id);
    if (!collection.ok()) {
      if (collection.error().kind() == ErrorKind::kNotFound) continue;  // removed meanwhile
      return collection.error();
    }
    if (!CanReadCollection(request.principal, *collection)) continue;
    ObjectQuery query;
    query.collection_id = cursor.collection_id;
    query.added_after_us = cursor.added_after_us;
    query.types = request.types;
    query.versions.mode = VersionFilter::Mode::kAll;
    query.limit = 1;
    auto page = store_.QueryObjects(
        query, [&](const StoredObject& object) { return CanSeeObject(request.principal, *collection, object); });
    if (!page.ok()) return page.error();
    if (!page->objects.empty()) news.push_back(cursor.collection_id);
  }
  return news;
}

void ChangeFeed::OnChange(const Store::Change& change) {
  if (change.kind != Store::Change::Kind::kObjectsAdded && change.kind != Store::Change::Kind::kResync) return;
  bool marked = false;
  {
    std::lock_guard lock(mutex_);
    ++generation_;
    for (auto& waiter : waiters_) {
      if (change.kind == Store::Change::Kind::kResync || CursorFor(waiter.request, change.key) != nullptr) {
        waiter.dirty = true;
        marked = true;
      }
    }
    any_dirty_ = any_dirty_ || marked;
  }
  if (marked) cv_.notify_all();
}

void ChangeFeed::Run() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    auto next = std::chrono::steady_clock::now() + std::chrono::hours(1);
    for (const auto& waiter : waiters_) next = std::min(next, waiter.deadline);
    cv_.wait_until(lock, next, [&] {
      if (stopping_ || any_dirty_ || parked_) return true;
      return !waiters_.empty() && std::chrono::steady_clock::now() >= next;
    });
    if (stopping_) break;
    const auto now = std::chrono::steady_clock::now();
    std::list<Waiter> expired;
    std::vector<std::list<Waiter>::iterator> dirty;
    for (auto it = waiters_.begin(); it != waiters_.end();) {
      auto current = it++;
      if (current->deadline <= now) {
        expired.splice(expired.end(), waiters_, current);
      } else if (current->dirty) {
        current->dirty = false;
        dirty.push_back(current);
      }
    }
    any_dirty_ = false;
    parked_ = false;
    lock.unlock();
    for (auto& waiter : expired) waiter.done(ChangeNews{});
    expired.clear();
    // Only this thread removes waiters: the iterators stay valid unlocked.
    if (!dirty.empty()) Recheck(std::move(dirty));
    lock.lock();
  }
  std::list<Waiter> left;
  left.splice(left.end(), waiters_);
  lock.unlock();
  for (auto& waiter : left) waiter.done(ChangeNews{});
}

void ChangeFeed::Recheck(std::vector<std::list<Waiter>::iterator> dirty) {
  // The waiters of each collection, and the oldest cursor among them.
  std::map<std::string, std::vector<std::list<Waiter>::iterator>> by_collection;
  for (auto it : dirty) {
    for (const auto& cursor : it->request.cursors) by_collection[cursor.collection_id].push_back(it);
  }
  std::map<const Waiter*, std::set<std::string>> news;
  std::set<const Waiter*> failed;  // the store could not answer: look again at the next notice
  for (const auto& [collection_id, waiters] : by_collection) {
    auto collection = store_.GetCollection(collection_id);
    if (!collection.ok()) {
      if (collection.error().kind() != ErrorKind::kNotFound) {
        for (auto it : waiters) failed.insert(&*it);
      }
      continue;
    }
    std::optional<std::int64_t> oldest;
    bool from_start = false;
    for (auto it : waiters) {
      const auto& after = CursorFor(it->request, collection_id)->added_after_us;
      if (!after) from_start = true;
      if (after && (!oldest || *after < *oldest)) oldest = after;
    }
    ObjectQuery query;
    query.collection_id = collection_id;
    if (!from_start) query.added_after_us = oldest;
    query.versions.mode = VersionFilter::Mode::kAll;
    query.limit = kBatch;
    auto page = store_.QueryObjects(query, nullptr);
    if (!page.ok()) {
      for (auto it : waiters) failed.insert(&*it);
      continue;
    }
    for (auto it : waiters) {
      const Waiter& waiter = *it;
      if (!CanReadCollection(waiter.request.principal, *collection)) continue;
      const auto& after = CursorFor(waiter.request, collection_id)->added_after_us;
      bool found = false;
      for (const auto& object : page->objects) {
        if (after && object.added_us <= *after) continue;
        if (!TypeWanted(waiter.request, object.type)) continue;
        if (!CanSeeObject(waiter.request.principal, *collection, object)) continue;
        found = true;
        break;
      }
      if (!found && page->more) {
        // More was added than one batch holds: a look of its own.
        ChangeWait one = waiter.request;
        one.cursors = {*CursorFor(waiter.request, collection_id)};
        auto own = Look(one);
        if (!own.ok()) {
          failed.insert(&waiter);
          continue;
        }
        found = !own->empty();
      }
      if (found) news[&waiter].insert(collection_id);
    }
  }
  std::list<Waiter> answered;
  {
    std::lock_guard lock(mutex_);
    for (auto it : dirty) {
      if (failed.count(&*it) > 0) {
        it->dirty = true;  // looked at again with the next notice (or answered at its deadline)
        continue;
      }
      if (news.count(&*it) > 0) answered.splice(answered.end(), waiters_, it);
    }
  }
  for (auto& waiter : answered) {
    ChangeNews result{true, {}};
    const auto& names = news[&waiter];
    for (const auto& cursor : waiter.request.cursors) {
      if (names.count(cursor.collection_id) > 0) result.collections.push_back(cursor.collection_id);
    }
    waiter.done(std::move(result));
  }
}

}  // namespace dv::hub
