/** Word lists for the seed: varied, realistic names (US carriers employ drivers from everywhere). */

export const FIRST_NAMES = [
  'James', 'Maria', 'Robert', 'Aisha', 'Michael', 'Guadalupe', 'David', 'Keisha', 'Daniel', 'Mei',
  'Carlos', 'Jennifer', 'Tyrone', 'Olga', 'Luis', 'Patricia', 'Anthony', 'Fatima', 'Kevin', 'Svetlana',
  'Jamal', 'Linda', 'Andre', 'Rosa', 'Brian', 'Priya', 'Dmitri', 'Tamika', 'Jose', 'Heather',
  'Marcus', 'Nguyen', 'Travis', 'Yolanda', 'Hector', 'Amanda', 'Rajesh', 'Crystal', 'Darnell', 'Ingrid',
  'Wesley', 'Lucia', 'Cody', 'Shanice', 'Ivan', 'Brenda', 'Terrence', 'Ana', 'Dustin', 'Imani',
  'Raul', 'Kimberly', 'Bogdan', 'Latoya', 'Jorge', 'Tiffany', 'Samuel', 'Esperanza', 'Gregory', 'Nadia',
  'Earl', 'Connie', 'Abdi', 'Tracy', 'Hiroshi', 'Darlene', 'Emeka', 'Wanda', 'Mateo', 'Sherry',
] as const;

export const LAST_NAMES = [
  'Johnson', 'Garcia', 'Williams', 'Okafor', 'Martinez', 'Nguyen', 'Brown', 'Kowalski', 'Davis', 'Hernandez',
  'Wilson', 'Petrov', 'Anderson', 'Washington', 'Lopez', 'Thompson', 'Patel', 'Moore', 'Ramirez', 'Jackson',
  'Novak', 'Harris', 'Castillo', 'Clark', 'Osei', 'Lewis', 'Robinson', 'Walker', 'Ivanova', 'Young',
  'Flores', 'King', 'Mensah', 'Wright', 'Torres', 'Hill', 'Yamamoto', 'Green', 'Adeyemi', 'Baker',
  'Schmidt', 'Rivera', 'Campbell', 'Mitchell', 'Haddad', 'Carter', 'Sokolov', 'Roberts', 'Diaz', 'Turner',
  'Phillips', 'Gutierrez', 'Evans', 'Abdullah', 'Collins', 'Reyes', 'Stewart', 'Morales', 'Murphy', 'Chen',
  'Cook', 'Rogers', 'Kaur', 'Morgan', 'Bennett', 'Sullivan', 'Jovanovic', 'Price', 'Mbeki', 'Fischer',
] as const;

/** What dispatchers actually send drivers. `{n}` is replaced with a number, `{place}` with a place. */
export const MESSAGE_TEMPLATES = [
  'Load #{n} is ready at dock {d}. Please check in with the shipping office.',
  'Your pickup at {place} moved to {t}. Reply if that does not work.',
  'Delivery confirmed at warehouse B. Thanks!',
  'Heads up: I-{i} closed near mile marker {n}, take the detour via US-{d}.',
  'Please send a photo of the signed BOL for load #{n}.',
  'Reefer set point for load #{n} is 34°F. Pre-cool before loading.',
  'Fuel at the {place} location tonight, the card limit is raised for you.',
  'Customer at {place} asks for a call 30 min before arrival.',
  'Your 34-hour reset is approved. Next dispatch Monday 06:00.',
  'Weather alert: high winds on I-{i} this afternoon. Empty trailers stay parked.',
  'Please confirm you received the updated route for tomorrow.',
  'Detention started at {t} at {place}; we have notified the broker.',
  'Trailer {n} needs a tire check before you leave the yard.',
  'Good job on the on-time streak this week!',
  'Drop the empty at {place} and bobtail back to the yard.',
  'Appointment at {place} is confirmed for {t}. Door {d}.',
] as const;

export const PLACES = [
  'Joliet DC', 'Gary terminal', 'Kansas City yard', 'Savannah port', 'Roanoke hub', 'Denver cross-dock',
  'Wichita plant', 'Memphis DC', 'Columbus yard', 'Laredo border crossing', 'Fontana DC', 'Atlanta hub',
] as const;
