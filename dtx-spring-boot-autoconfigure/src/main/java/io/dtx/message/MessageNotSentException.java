package io.dtx.message;

/**
 * Thrown where a half message was not acknowledged by Kafka in time: its local
 * transaction did not run, and nothing of it is anywhere.
 */
public class MessageNotSentException extends RuntimeException {

	MessageNotSentException(String messageId, String halfTopic, Throwable cause) {
		super("Half message " + messageId + " was not acknowledged by " + halfTopic + " (" + cause
				+ "); its local transaction did not run", cause);
	}

}
