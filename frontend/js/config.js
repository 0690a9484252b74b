// Where the API lives. Empty means the same origin that served this page (the embedded set-up).
// For a separate static deployment, set it to the API's origin, e.g. "https://api.example.vn".
export const API_ORIGIN = "";
