package org.socsecgateway.wsbreceiver.rest;

import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A batch that dfdg-poller fetched over WSRM, handed over in the order it should appear in the feed (oldest
 * EventDate first).
 */
public record IngestRequest(@NotEmpty(message = "at least one event is required") List<@NotNull @Valid Item> events) {

    /**
     * @param messageId the WSRM message identifier; a batch sent again with the same ids stores nothing twice
     * @param authority the authority (subscription) the message was fetched for
     * @param message   the message as JSON
     */
    public record Item(
            @NotBlank @Size(max = 200) String messageId,
            @NotBlank @Pattern(regexp = "[A-Za-z0-9._:-]{1,64}", message = "must be 1-64 letters, digits or . _ : -") String authority,
            @NotNull ObjectNode message) {
    }
}
