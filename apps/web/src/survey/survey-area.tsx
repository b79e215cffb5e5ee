import { useRef } from 'preact/hooks';
import { Respondent } from './respondent';
import { Station } from './station';
import './survey.css';

/** "/survey/<iterationId>" for one respondent, "/survey/<iterationId>/station" for a collector's tablet. */
export function SurveyArea() {
  const heading = useRef<HTMLHeadingElement>(null);
  const [, , iterationId = '', mode] = location.pathname.split('/');
  return mode === 'station' ? <Station iterationId={iterationId} heading={heading} /> : <Respondent iterationId={iterationId} heading={heading} />;
}
