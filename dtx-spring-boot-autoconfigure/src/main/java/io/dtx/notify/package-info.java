/**
 * Best-effort notification: {@link io.dtx.notify.Notifications} writes a notification in
 * the caller's transaction, {@link io.dtx.notify.NotificationDispatcher} posts it, signed,
 * to the receiver's endpoint on a retry schedule once that transaction commits, and
 * {@link io.dtx.notify.NotificationReceiver} verifies what it receives and runs the
 * {@link io.dtx.notify.NotificationHandler} of its type once per notification id. Usable
 * without the coordinator; imports only the model and the database layer.
 */
@NullMarked
package io.dtx.notify;

import org.jspecify.annotations.NullMarked;
