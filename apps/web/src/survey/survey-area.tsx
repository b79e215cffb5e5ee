import { useRef } from 'preact/hooks';
import { Respondent } from './respondent';
import { Station, StationLauncher } from './station';
import './survey.css';

/**
 * "/survey/<iterationId>" for one respondent, "/survey/<iterationId>/station" for a collector's
 * tablet, "/survey/station" where an installed station starts (iteration ids are UUIDs).
 */
export function SurveyArea() {
  const heading = useRef<HTMLHeadingElement>(null);
  const [, , iterationId = '', mode] = location.pathname.split('/');
  if (iterationId === 'station' && !mode) return <StationLauncher heading={heading} />;
  return mode === 'station' ? <Station iterationId={iterationId} heading={heading} /> : <Respondent iterationId={iterationId} heading={heading} />;
}
