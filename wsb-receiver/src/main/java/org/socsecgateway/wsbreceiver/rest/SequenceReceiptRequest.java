package org.socsecgateway.wsbreceiver.rest;

import java.time.OffsetDateTime;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;

import org.socsecgateway.common.log.LogSafe;
import org.socsecgateway.wsbreceiver.service.SequenceOutcome;

/**
 * The receipt of one WSRM sequence, as dfdg-poller sends it after the sequence ended
 * ({@code PUT /v1/wsrm/sequences/{sequenceId}}). Counts and a fixed reason only: never message content or a CPR number.
 *
 * @param authority  the authority (subscription) the queue was drained for
 * @param startedAt  when CreateSequence was sent (RFC 3339 with an offset)
 * @param endedAt    when the sequence ended: TerminateSequence / CloseSequence answered, or given up; not before startedAt
 * @param inventory  CreateSequence's inventory, at most 1000 services ([] when it announced none)
 * @param fetched    messages the Get calls returned
 * @param stored     of those, new in the inbox ({@code stored} of POST /v1/ingest)
 * @param duplicates of those, already in the inbox ({@code duplicates} of POST /v1/ingest)
 * @param outcome    how it ended: TERMINATED, CLOSED, TERMINATE_REFUSED, ABANDONED or EMPTY ({@link SequenceOutcome})
 * @param errorCode  DFDG's error code when a fault ended it (FaultDetails), else absent
 * @param detail     a short fixed reason (at most 500 characters, one line), else absent; a number that could be a CPR
 *                   number (ten digits, or six, a hyphen and four) is refused
 */
public record SequenceReceiptRequest(
        @NotBlank @Pattern(regexp = "[A-Za-z0-9._:-]{1,64}", message = "must be 1-64 letters, digits or . _ : -") String authority,
        @NotNull OffsetDateTime startedAt,
        @NotNull OffsetDateTime endedAt,
        @NotNull @Size(max = 1000) List<@NotNull @Valid InventoryItem> inventory,
        @NotNull @PositiveOrZero Integer fetched,
        @NotNull @PositiveOrZero Integer stored,
        @NotNull @PositiveOrZero Integer duplicates,
        @NotNull @Pattern(regexp = SequenceOutcome.PATTERN, message = "must be one of " + SequenceOutcome.PATTERN) String outcome,
        Integer errorCode,
        @Size(max = 500)
        @Pattern(regexp = "[^\\p{Cntrl}]*", message = "must be one line of text without control characters")
        @Pattern(regexp = LogSafe.NO_CPR_NUMBER, message = "must not contain a number that could be a CPR number")
        String detail) {

    /**
     * One service of the inventory.
     *
     * @param serviceName  DFDG's ServiceName (1-200 of {@code A-Z a-z 0-9 _ . -})
     * @param messageCount how many of its messages were waiting
     */
    public record InventoryItem(
            @NotNull @Pattern(regexp = "[A-Za-z0-9_.-]{1,200}", message = "must be 1-200 letters, digits or _ . -") String serviceName,
            @NotNull @PositiveOrZero Integer messageCount) {
    }
}
