// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "commandmiddleware.h"

namespace EventScope {

/**
 * Checks a command against its descriptor and rejects it with every problem at once (CommandError::Validation,
 * one message per field): missing required fields, wrong types, values out of range or not allowed, fields
 * the command does not have, and — for corrective commands — a missing reason (reported under "reason").
 */
class ValidationMiddleware final : public CommandMiddleware {
public:
    DispatchResult handle(const Command& command, CommandContext& context, const CommandDescriptor& descriptor,
        const CommandNext& next) override;

    /// The problems of \a command and \a context by field name; empty when they are valid.
    static QMap<QString, QString> validate(
        const Command& command, const CommandContext& context, const CommandDescriptor& descriptor);
};

} // namespace EventScope
