// Re-exported while other branches still import it from here; the shared home is lib/http.
export { readJsonBody, type BodyRead } from "@/lib/http/read-body";
