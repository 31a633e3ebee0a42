package io.dtx.notify;

import java.time.Instant;

/**
 * What a {@link NotificationHandler} may know about the notification besides its payload.
 *
 * @param id the notification's id, unique per sender
 * @param type its type
 * @param sender the name this service gives the sender: the last segment of the path it
 * was posted to
 * @param createdAt when the sender wrote it
 */
public record NotificationContext(String id, String type, String sender, Instant createdAt) {

}
