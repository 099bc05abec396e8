-- Mormal's OSRM car profile: OSRM's stock car profile, without its exclude sets.
--
-- The stock profile declares three excludable classes (toll, motorway, ferry), so
-- osrm-contract builds its contraction hierarchy four times over: once for no exclusion and
-- once per class. Mormal never sends `exclude=` (delivery/routing/osrm.py asks /table and
-- /route only), so this profile keeps every speed, access rule and turn penalty of the stock
-- one and declares no excludable class: the core is contracted once.
--
-- Where the stock profile is: $OSRM_CAR_PROFILE, else /opt/car.lua (the osrm-backend image).
-- Its `require('lib/...')` helpers are looked up next to it.

local stock_path = os.getenv('OSRM_CAR_PROFILE') or '/opt/car.lua'
local stock_dir = stock_path:match('^(.*)/[^/]*$') or '.'
package.path = stock_dir .. '/?.lua;' .. package.path

local stock = dofile(stock_path)  -- sets api_version and the helpers' globals, returns the handlers

local function setup()
  local profile = stock.setup()
  profile.excludable = {}
  return profile
end

return {
  setup = setup,
  process_way = stock.process_way,
  process_node = stock.process_node,
  process_turn = stock.process_turn,
}
