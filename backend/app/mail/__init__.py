"""Email: an outbox of messages (`outbox`) sent by jobs (`jobs`) over SMTP (`smtp`)."""
