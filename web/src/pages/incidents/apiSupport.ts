/** What the incidents feature uses from the dashboard's API client and session. */
import { currentToken } from '../../session';

export { apiUrl, invalid, isObject, requestJson, type Json } from '../../api';

export function currentTokenHeader(): Record<string, string> {
  const token = currentToken();
  return token ? { Authorization: `Bearer ${token}` } : {};
}
