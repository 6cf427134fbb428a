package dev.hostalloc.lint;

import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;

import java.util.HashSet;
import java.util.Set;

/**
 * Adds each violation message once per checked item: javac copies a {@code finally} block into every
 * exit path, so one source call can appear as several identical accesses.
 */
final class DistinctEvents
{
    private final ConditionEvents events;
    private final Set<String> messages = new HashSet<>();

    DistinctEvents(final ConditionEvents events)
    {
        this.events = events;
    }

    /**
     * Reports a violation unless the same message was already reported through this instance.
     *
     * @param corresponding the object violating.
     * @param message       the message.
     */
    void violated(final Object corresponding, final String message)
    {
        if (messages.add(message))
        {
            events.add(SimpleConditionEvent.violated(corresponding, message));
        }
    }
}
