-- 0002: event custom variable slots 6..10 (Piwik PRO's current standard is 10; DATA-MODEL §1.6
-- adds slots by migration). Pirsch hits keep their tags there, apart from their event metadata
-- in slots 1..5 (model/columns.py EVENT_VARIABLE_SLOTS).
ALTER TABLE events ADD COLUMN event_custom_variable_key_6 VARCHAR NOT NULL DEFAULT '';
ALTER TABLE events ADD COLUMN event_custom_variable_value_6 VARCHAR NOT NULL DEFAULT '';
ALTER TABLE events ADD COLUMN event_custom_variable_key_7 VARCHAR NOT NULL DEFAULT '';
ALTER TABLE events ADD COLUMN event_custom_variable_value_7 VARCHAR NOT NULL DEFAULT '';
ALTER TABLE events ADD COLUMN event_custom_variable_key_8 VARCHAR NOT NULL DEFAULT '';
ALTER TABLE events ADD COLUMN event_custom_variable_value_8 VARCHAR NOT NULL DEFAULT '';
ALTER TABLE events ADD COLUMN event_custom_variable_key_9 VARCHAR NOT NULL DEFAULT '';
ALTER TABLE events ADD COLUMN event_custom_variable_value_9 VARCHAR NOT NULL DEFAULT '';
ALTER TABLE events ADD COLUMN event_custom_variable_key_10 VARCHAR NOT NULL DEFAULT '';
ALTER TABLE events ADD COLUMN event_custom_variable_value_10 VARCHAR NOT NULL DEFAULT '';
