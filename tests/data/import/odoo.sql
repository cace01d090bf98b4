--
-- Odoo 17: the res.partner tables of the base module, as pg_dump writes them
-- (PostgreSQL). Odoo creates them from its ORM field definitions
-- (odoo/addons/base/models/res_partner.py) and stores each field's label as a
-- column comment. Odoo Community is released under the LGPL-3.0.
--

SET statement_timeout = 0;
SET lock_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET default_tablespace = '';
SET default_table_access_method = heap;

CREATE TABLE public.res_partner (
    id integer NOT NULL,
    name character varying,
    complete_name character varying,
    parent_id integer,
    ref character varying,
    lang character varying,
    tz character varying,
    user_id integer,
    vat character varying,
    additional_identifiers jsonb,
    website character varying,
    comment text,
    active boolean,
    employee boolean,
    function character varying,
    type character varying,
    street character varying,
    street2 character varying,
    zip character varying,
    city character varying,
    state_id integer,
    country_id integer,
    partner_latitude numeric(10,7),
    partner_longitude numeric(10,7),
    email character varying,
    phone character varying,
    is_company boolean,
    industry_id integer,
    company_id integer,
    color integer,
    partner_share boolean,
    commercial_partner_id integer,
    commercial_company_name character varying,
    barcode jsonb,
    create_uid integer,
    create_date timestamp without time zone,
    write_uid integer,
    write_date timestamp without time zone,
    CONSTRAINT res_partner_check_name CHECK ((((type)::text <> 'contact'::text) OR (name IS NOT NULL)))
);

ALTER TABLE public.res_partner OWNER TO odoo;

COMMENT ON TABLE public.res_partner IS 'Contact';
COMMENT ON COLUMN public.res_partner.name IS 'Name';
COMMENT ON COLUMN public.res_partner.complete_name IS 'Complete Name';
COMMENT ON COLUMN public.res_partner.parent_id IS 'Related Company';
COMMENT ON COLUMN public.res_partner.ref IS 'Reference';
COMMENT ON COLUMN public.res_partner.lang IS 'Language';
COMMENT ON COLUMN public.res_partner.tz IS 'Timezone';
COMMENT ON COLUMN public.res_partner.user_id IS 'Salesperson';
COMMENT ON COLUMN public.res_partner.vat IS 'Tax ID';
COMMENT ON COLUMN public.res_partner.additional_identifiers IS 'Additional Identifiers';
COMMENT ON COLUMN public.res_partner.website IS 'Website Link';
COMMENT ON COLUMN public.res_partner.comment IS 'Notes';
COMMENT ON COLUMN public.res_partner.active IS 'Active';
COMMENT ON COLUMN public.res_partner.employee IS 'Employee';
COMMENT ON COLUMN public.res_partner.function IS 'Job Position';
COMMENT ON COLUMN public.res_partner.type IS 'Address Type';
COMMENT ON COLUMN public.res_partner.street IS 'Street';
COMMENT ON COLUMN public.res_partner.street2 IS 'Street2';
COMMENT ON COLUMN public.res_partner.zip IS 'Zip';
COMMENT ON COLUMN public.res_partner.city IS 'City';
COMMENT ON COLUMN public.res_partner.state_id IS 'State';
COMMENT ON COLUMN public.res_partner.country_id IS 'Country';
COMMENT ON COLUMN public.res_partner.partner_latitude IS 'Geo Latitude';
COMMENT ON COLUMN public.res_partner.partner_longitude IS 'Geo Longitude';
COMMENT ON COLUMN public.res_partner.email IS 'Email';
COMMENT ON COLUMN public.res_partner.phone IS 'Phone';
COMMENT ON COLUMN public.res_partner.is_company IS 'Is a Company';
COMMENT ON COLUMN public.res_partner.industry_id IS 'Industry';
COMMENT ON COLUMN public.res_partner.company_id IS 'Company';
COMMENT ON COLUMN public.res_partner.color IS 'Color Index';
COMMENT ON COLUMN public.res_partner.partner_share IS 'Share Partner';
COMMENT ON COLUMN public.res_partner.commercial_partner_id IS 'Commercial Entity';
COMMENT ON COLUMN public.res_partner.commercial_company_name IS 'Company Name Entity';
COMMENT ON COLUMN public.res_partner.barcode IS 'Barcode';
COMMENT ON COLUMN public.res_partner.create_uid IS 'Created by';
COMMENT ON COLUMN public.res_partner.create_date IS 'Created on';
COMMENT ON COLUMN public.res_partner.write_uid IS 'Last Updated by';
COMMENT ON COLUMN public.res_partner.write_date IS 'Last Updated on';

CREATE SEQUENCE public.res_partner_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE public.res_partner_id_seq OWNED BY public.res_partner.id;

CREATE TABLE public.res_partner_category (
    id integer NOT NULL,
    name jsonb NOT NULL,
    color integer,
    parent_id integer,
    active boolean,
    parent_path character varying,
    create_uid integer,
    create_date timestamp without time zone,
    write_uid integer,
    write_date timestamp without time zone
);

COMMENT ON TABLE public.res_partner_category IS 'Partner Tags';
COMMENT ON COLUMN public.res_partner_category.name IS 'Tag Name';
COMMENT ON COLUMN public.res_partner_category.color IS 'Color';
COMMENT ON COLUMN public.res_partner_category.parent_id IS 'Parent Category';
COMMENT ON COLUMN public.res_partner_category.active IS 'Active';

CREATE TABLE public.res_partner_res_partner_category_rel (
    category_id integer NOT NULL,
    partner_id integer NOT NULL
);

COMMENT ON TABLE public.res_partner_res_partner_category_rel IS 'RELATION BETWEEN res_partner_category AND res_partner';

ALTER TABLE ONLY public.res_partner ALTER COLUMN id SET DEFAULT nextval('public.res_partner_id_seq'::regclass);

ALTER TABLE ONLY public.res_partner
    ADD CONSTRAINT res_partner_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.res_partner_category
    ADD CONSTRAINT res_partner_category_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.res_partner_res_partner_category_rel
    ADD CONSTRAINT res_partner_res_partner_category_rel_pkey PRIMARY KEY (category_id, partner_id);

CREATE INDEX res_partner_complete_name_index ON public.res_partner USING btree (complete_name);
CREATE INDEX res_partner_ref_index ON public.res_partner USING btree (ref);
CREATE INDEX res_partner_vat_index ON public.res_partner USING btree (vat);

ALTER TABLE ONLY public.res_partner
    ADD CONSTRAINT res_partner_parent_id_fkey FOREIGN KEY (parent_id) REFERENCES public.res_partner(id) ON DELETE SET NULL;

ALTER TABLE ONLY public.res_partner
    ADD CONSTRAINT res_partner_commercial_partner_id_fkey FOREIGN KEY (commercial_partner_id) REFERENCES public.res_partner(id) ON DELETE SET NULL;
