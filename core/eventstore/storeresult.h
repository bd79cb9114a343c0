// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "storeerror.h"

#include <utility>
#include <variant>

namespace EventScope {

/// A value or a StoreError: what synchronous event-store calls return. No exception crosses the API.
template <typename T>
class StoreResult {
public:
    StoreResult(T value)
        : m_data(std::in_place_index<0>, std::move(value))
    {
    }
    StoreResult(StoreError error)
        : m_data(std::in_place_index<1>, std::move(error))
    {
    }

    bool ok() const { return m_data.index() == 0; }
    explicit operator bool() const { return ok(); }

    const T& value() const& { return std::get<0>(m_data); }
    T& value() & { return std::get<0>(m_data); }
    /// By value, so that `for (auto& e : store.readAll(…).value())` does not dangle.
    T value() && { return std::get<0>(std::move(m_data)); }
    const T* operator->() const { return &value(); }
    T* operator->() { return &value(); }
    const T& operator*() const { return value(); }
    T& operator*() { return value(); }

    const StoreError& error() const { return std::get<1>(m_data); }

private:
    std::variant<T, StoreError> m_data;
};

/// For operations that return nothing but may fail.
struct Done { };

} // namespace EventScope
