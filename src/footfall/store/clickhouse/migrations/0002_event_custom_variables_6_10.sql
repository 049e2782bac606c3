-- 0002: event custom variable slots 6..10 (Piwik PRO's current standard is 10; DATA-MODEL §1.6
-- adds slots by migration). Pirsch hits keep their tags there, apart from their event metadata
-- in slots 1..5 (model/columns.py EVENT_VARIABLE_SLOTS).
ALTER TABLE events ADD COLUMN IF NOT EXISTS event_custom_variable_key_6 String DEFAULT '';
ALTER TABLE events ADD COLUMN IF NOT EXISTS event_custom_variable_value_6 String DEFAULT '';
ALTER TABLE events ADD COLUMN IF NOT EXISTS event_custom_variable_key_7 String DEFAULT '';
ALTER TABLE events ADD COLUMN IF NOT EXISTS event_custom_variable_value_7 String DEFAULT '';
ALTER TABLE events ADD COLUMN IF NOT EXISTS event_custom_variable_key_8 String DEFAULT '';
ALTER TABLE events ADD COLUMN IF NOT EXISTS event_custom_variable_value_8 String DEFAULT '';
ALTER TABLE events ADD COLUMN IF NOT EXISTS event_custom_variable_key_9 String DEFAULT '';
ALTER TABLE events ADD COLUMN IF NOT EXISTS event_custom_variable_value_9 String DEFAULT '';
ALTER TABLE events ADD COLUMN IF NOT EXISTS event_custom_variable_key_10 String DEFAULT '';
ALTER TABLE events ADD COLUMN IF NOT EXISTS event_custom_variable_value_10 String DEFAULT '';
