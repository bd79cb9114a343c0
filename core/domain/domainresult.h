// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "domainerror.h"

#include <utility>
#include <variant>

namespace EventScope {

/// A value or a DomainError: what synchronous domain-layer calls return. No exception crosses the API.
template <typename T>
class DomainResult {
public:
    DomainResult(T value)
        : m_data(std::in_place_index<0>, std::move(value))
    {
    }
    DomainResult(DomainError error)
        : m_data(std::in_place_index<1>, std::move(error))
    {
    }
    DomainResult(StoreError error)
        : m_data(std::in_place_index<1>, DomainError(std::move(error)))
    {
    }

    bool ok() const { return m_data.index() == 0; }
    explicit operator bool() const { return ok(); }

    const T& value() const& { return std::get<0>(m_data); }
    T& value() & { return std::get<0>(m_data); }
    T value() && { return std::get<0>(std::move(m_data)); }
    const T* operator->() const { return &value(); }
    T* operator->() { return &value(); }

    const DomainError& error() const { return std::get<1>(m_data); }

private:
    std::variant<T, DomainError> m_data;
};

} // namespace EventScope
